package com.voicecrm.contacts.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import com.voicecrm.contacts.config.ServiceContract;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;

/**
 * The DynamoDB items, one class per type, each with a static (reflection-free) schema. They are
 * storage shapes only: the store maps them to and from domain records.
 */
final class Items {

  private Items() {}

  /** Fields shared by every item: the table's key. */
  abstract static class Keyed {
    String pk;
    String sk;
  }

  static final class ContactItem extends Keyed {
    String id;
    String workspaceId;
    String accountId;
    String firstName;
    String lastName;
    String email;
    String phone;
    String timezone;
    List<String> tags;
    Map<String, String> customFields;
    String createdAt;
    String updatedAt;
    String deletedAt;
    Long version;
  }

  /** Claims a phone or an email in a workspace for one active contact. */
  static final class IdentifierItem extends Keyed {
    String workspaceId;
    String contactId;
  }

  /** Registers a tag in a workspace. */
  static final class TagItem extends Keyed {
    String workspaceId;
    String tag;
    String createdAt;
  }

  static final class WorkspaceItem extends Keyed {
    String id;
    String accountId;
    String name;
    String defaultTimezone;
    /** Field id to display name. */
    Map<String, String> customFields;
  }

  static final class AccountItem extends Keyed {
    String id;
    String name;
  }

  /** An API key's scope, stored under the key's hash; the key itself is never stored. */
  static final class ApiKeyItem extends Keyed {
    String keyId;
    String accountId;
    String workspaceId;
    String usagePlan;
    String description;
    String createdAt;
    String revokedAt;
  }

  static final TableSchema<ContactItem> CONTACT =
      keyed(StaticTableSchema.builder(ContactItem.class).newItemSupplier(ContactItem::new))
          .addAttribute(String.class, string("id", i -> i.id, (i, v) -> i.id = v))
          .addAttribute(String.class, string("workspaceId", i -> i.workspaceId, (i, v) -> i.workspaceId = v))
          .addAttribute(String.class, string("accountId", i -> i.accountId, (i, v) -> i.accountId = v))
          .addAttribute(String.class, string("firstName", i -> i.firstName, (i, v) -> i.firstName = v))
          .addAttribute(String.class, string("lastName", i -> i.lastName, (i, v) -> i.lastName = v))
          .addAttribute(String.class, string("email", i -> i.email, (i, v) -> i.email = v))
          .addAttribute(String.class, string("phone", i -> i.phone, (i, v) -> i.phone = v))
          .addAttribute(String.class, string("timezone", i -> i.timezone, (i, v) -> i.timezone = v))
          .addAttribute(
              EnhancedType.listOf(String.class),
              a -> a.name("tags").getter(i -> i.tags).setter((i, v) -> i.tags = v))
          .addAttribute(
              EnhancedType.mapOf(String.class, String.class),
              a -> a.name("customFields").getter(i -> i.customFields).setter((i, v) -> i.customFields = v))
          .addAttribute(String.class, string("createdAt", i -> i.createdAt, (i, v) -> i.createdAt = v))
          .addAttribute(String.class, string("updatedAt", i -> i.updatedAt, (i, v) -> i.updatedAt = v))
          .addAttribute(String.class, string("deletedAt", i -> i.deletedAt, (i, v) -> i.deletedAt = v))
          .addAttribute(Long.class, a -> a.name("version").getter(i -> i.version).setter((i, v) -> i.version = v))
          .build();

  static final TableSchema<IdentifierItem> IDENTIFIER =
      keyed(StaticTableSchema.builder(IdentifierItem.class).newItemSupplier(IdentifierItem::new))
          .addAttribute(String.class, string("workspaceId", i -> i.workspaceId, (i, v) -> i.workspaceId = v))
          .addAttribute(String.class, string("contactId", i -> i.contactId, (i, v) -> i.contactId = v))
          .build();

  static final TableSchema<TagItem> TAG =
      keyed(StaticTableSchema.builder(TagItem.class).newItemSupplier(TagItem::new))
          .addAttribute(String.class, string("workspaceId", i -> i.workspaceId, (i, v) -> i.workspaceId = v))
          .addAttribute(String.class, string("tag", i -> i.tag, (i, v) -> i.tag = v))
          .addAttribute(String.class, string("createdAt", i -> i.createdAt, (i, v) -> i.createdAt = v))
          .build();

  static final TableSchema<WorkspaceItem> WORKSPACE =
      keyed(StaticTableSchema.builder(WorkspaceItem.class).newItemSupplier(WorkspaceItem::new))
          .addAttribute(String.class, string("id", i -> i.id, (i, v) -> i.id = v))
          .addAttribute(String.class, string("accountId", i -> i.accountId, (i, v) -> i.accountId = v))
          .addAttribute(String.class, string("name", i -> i.name, (i, v) -> i.name = v))
          .addAttribute(
              String.class,
              string("defaultTimezone", i -> i.defaultTimezone, (i, v) -> i.defaultTimezone = v))
          .addAttribute(
              EnhancedType.mapOf(String.class, String.class),
              a -> a.name("customFields").getter(i -> i.customFields).setter((i, v) -> i.customFields = v))
          .build();

  static final TableSchema<AccountItem> ACCOUNT =
      keyed(StaticTableSchema.builder(AccountItem.class).newItemSupplier(AccountItem::new))
          .addAttribute(String.class, string("id", i -> i.id, (i, v) -> i.id = v))
          .addAttribute(String.class, string("name", i -> i.name, (i, v) -> i.name = v))
          .build();

  static final TableSchema<ApiKeyItem> API_KEY =
      keyed(StaticTableSchema.builder(ApiKeyItem.class).newItemSupplier(ApiKeyItem::new))
          .addAttribute(String.class, string("keyId", i -> i.keyId, (i, v) -> i.keyId = v))
          .addAttribute(String.class, string("accountId", i -> i.accountId, (i, v) -> i.accountId = v))
          .addAttribute(String.class, string("workspaceId", i -> i.workspaceId, (i, v) -> i.workspaceId = v))
          .addAttribute(String.class, string("usagePlan", i -> i.usagePlan, (i, v) -> i.usagePlan = v))
          .addAttribute(String.class, string("description", i -> i.description, (i, v) -> i.description = v))
          .addAttribute(String.class, string("createdAt", i -> i.createdAt, (i, v) -> i.createdAt = v))
          .addAttribute(String.class, string("revokedAt", i -> i.revokedAt, (i, v) -> i.revokedAt = v))
          .build();

  private static <T extends Keyed> StaticTableSchema.Builder<T> keyed(
      StaticTableSchema.Builder<T> builder) {
    return builder
        .addAttribute(
            String.class,
            a ->
                a.name(ServiceContract.PARTITION_KEY)
                    .getter(i -> i.pk)
                    .setter((i, v) -> i.pk = v)
                    .tags(primaryPartitionKey()))
        .addAttribute(
            String.class,
            a ->
                a.name(ServiceContract.SORT_KEY)
                    .getter(i -> i.sk)
                    .setter((i, v) -> i.sk = v)
                    .tags(primarySortKey()));
  }

  private static <T> java.util.function.Consumer<
          software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttribute.Builder<T, String>>
      string(String name, Function<T, String> getter, BiConsumer<T, String> setter) {
    return a -> a.name(name).getter(getter).setter(setter);
  }
}
