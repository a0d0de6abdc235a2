package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The DynamoDB items, one class per type, each with a static (reflection-free) {@link ItemSchema}.
 * They are storage shapes only: the store maps them to and from domain records.
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

  static final ItemSchema<ContactItem> CONTACT =
      keyed(ContactItem::new)
          .string("id", i -> i.id, (i, v) -> i.id = v)
          .string("workspaceId", i -> i.workspaceId, (i, v) -> i.workspaceId = v)
          .string("accountId", i -> i.accountId, (i, v) -> i.accountId = v)
          .string("firstName", i -> i.firstName, (i, v) -> i.firstName = v)
          .string("lastName", i -> i.lastName, (i, v) -> i.lastName = v)
          .string("email", i -> i.email, (i, v) -> i.email = v)
          .string("phone", i -> i.phone, (i, v) -> i.phone = v)
          .string("timezone", i -> i.timezone, (i, v) -> i.timezone = v)
          .stringList("tags", i -> i.tags, (i, v) -> i.tags = v)
          .stringMap("customFields", i -> i.customFields, (i, v) -> i.customFields = v)
          .string("createdAt", i -> i.createdAt, (i, v) -> i.createdAt = v)
          .string("updatedAt", i -> i.updatedAt, (i, v) -> i.updatedAt = v)
          .string("deletedAt", i -> i.deletedAt, (i, v) -> i.deletedAt = v)
          .number("version", i -> i.version, (i, v) -> i.version = v)
          .build();

  static final ItemSchema<IdentifierItem> IDENTIFIER =
      keyed(IdentifierItem::new)
          .string("workspaceId", i -> i.workspaceId, (i, v) -> i.workspaceId = v)
          .string("contactId", i -> i.contactId, (i, v) -> i.contactId = v)
          .build();

  static final ItemSchema<TagItem> TAG =
      keyed(TagItem::new)
          .string("workspaceId", i -> i.workspaceId, (i, v) -> i.workspaceId = v)
          .string("tag", i -> i.tag, (i, v) -> i.tag = v)
          .string("createdAt", i -> i.createdAt, (i, v) -> i.createdAt = v)
          .build();

  static final ItemSchema<WorkspaceItem> WORKSPACE =
      keyed(WorkspaceItem::new)
          .string("id", i -> i.id, (i, v) -> i.id = v)
          .string("accountId", i -> i.accountId, (i, v) -> i.accountId = v)
          .string("name", i -> i.name, (i, v) -> i.name = v)
          .string("defaultTimezone", i -> i.defaultTimezone, (i, v) -> i.defaultTimezone = v)
          .stringMap("customFields", i -> i.customFields, (i, v) -> i.customFields = v)
          .build();

  static final ItemSchema<AccountItem> ACCOUNT =
      keyed(AccountItem::new)
          .string("id", i -> i.id, (i, v) -> i.id = v)
          .string("name", i -> i.name, (i, v) -> i.name = v)
          .build();

  static final ItemSchema<ApiKeyItem> API_KEY =
      keyed(ApiKeyItem::new)
          .string("keyId", i -> i.keyId, (i, v) -> i.keyId = v)
          .string("accountId", i -> i.accountId, (i, v) -> i.accountId = v)
          .string("workspaceId", i -> i.workspaceId, (i, v) -> i.workspaceId = v)
          .string("usagePlan", i -> i.usagePlan, (i, v) -> i.usagePlan = v)
          .string("description", i -> i.description, (i, v) -> i.description = v)
          .string("createdAt", i -> i.createdAt, (i, v) -> i.createdAt = v)
          .string("revokedAt", i -> i.revokedAt, (i, v) -> i.revokedAt = v)
          .build();

  private static <T extends Keyed> ItemSchema.Builder<T> keyed(Supplier<T> newItem) {
    return ItemSchema.builder(newItem)
        .string(ServiceContract.PARTITION_KEY, i -> i.pk, (i, v) -> i.pk = v)
        .string(ServiceContract.SORT_KEY, i -> i.sk, (i, v) -> i.sk = v);
  }
}
