package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ListPosition;
import com.voicecrm.contacts.store.Schemas.Keyed;
import com.voicecrm.contacts.store.Schemas.KeyedBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * A contact as stored, active or soft-deleted. Timestamps are ISO-8601 text; {@code customFields}
 * maps field id to value.
 *
 * <p>To add an attribute: a component here, a field in {@link Builder} and {@link Builder#build},
 * one {@code addAttribute} in {@link #SCHEMA}, and its mapping in {@link #of}/{@link #toContact}.
 * An attribute derived from the others (an index key) needs only the {@code addAttribute}, with a
 * getter computing it and a setter that ignores it.
 */
record ContactItem(
    String pk,
    String sk,
    String id,
    String workspaceId,
    String accountId,
    String firstName,
    String lastName,
    String email,
    String phone,
    String timezone,
    List<String> tags,
    Map<String, String> customFields,
    String createdAt,
    String updatedAt,
    String deletedAt,
    Long version)
    implements Keyed {

  /** Increases with every write; the condition of every update. */
  static final String VERSION = "version";

  static ContactItem of(Contact contact) {
    return new ContactItem(
        Keys.contact(contact.id()),
        Keys.CONTACT,
        contact.id(),
        contact.workspaceId(),
        contact.accountId(),
        contact.firstName(),
        contact.lastName(),
        contact.email(),
        contact.phone(),
        contact.timezone(),
        contact.tags(),
        contact.customFieldValues(),
        contact.createdAt().toString(),
        contact.updatedAt().toString(),
        contact.deletedAt() == null ? null : contact.deletedAt().toString(),
        contact.version());
  }

  /**
   * The workspace list index's partition, only while the contact is active: the index is sparse.
   */
  String listPk() {
    return deletedAt == null ? ListIndexKeys.workspacePartition(workspaceId) : null;
  }

  /** Where the contact sits in the list order (updatedAt, id), in both list indexes. */
  String listSk() {
    return ListIndexKeys.sortKey(new ListPosition(Instant.parse(updatedAt), id));
  }

  Contact toContact() {
    return new Contact(
        id,
        workspaceId,
        accountId,
        firstName,
        lastName,
        email,
        phone,
        timezone,
        tags == null ? List.of() : tags,
        customFields == null ? Map.of() : customFields,
        Instant.parse(createdAt),
        Instant.parse(updatedAt),
        deletedAt == null ? null : Instant.parse(deletedAt),
        version == null ? 0 : version);
  }

  static final class Builder extends KeyedBuilder {
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

    ContactItem build() {
      return new ContactItem(
          pk,
          sk,
          id,
          workspaceId,
          accountId,
          firstName,
          lastName,
          email,
          phone,
          timezone,
          tags,
          customFields,
          createdAt,
          updatedAt,
          deletedAt,
          version);
    }
  }

  static final TableSchema<ContactItem> SCHEMA =
      Schemas.keyed(ContactItem.class, Builder.class, Builder::new, Builder::build)
          .addAttribute(
              String.class, a -> a.name("id").getter(ContactItem::id).setter((b, v) -> b.id = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("workspaceId")
                      .getter(ContactItem::workspaceId)
                      .setter((b, v) -> b.workspaceId = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("accountId")
                      .getter(ContactItem::accountId)
                      .setter((b, v) -> b.accountId = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("firstName")
                      .getter(ContactItem::firstName)
                      .setter((b, v) -> b.firstName = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("lastName").getter(ContactItem::lastName).setter((b, v) -> b.lastName = v))
          .addAttribute(
              String.class,
              a -> a.name("email").getter(ContactItem::email).setter((b, v) -> b.email = v))
          .addAttribute(
              String.class,
              a -> a.name("phone").getter(ContactItem::phone).setter((b, v) -> b.phone = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("timezone").getter(ContactItem::timezone).setter((b, v) -> b.timezone = v))
          .addAttribute(
              EnhancedType.listOf(String.class),
              a -> a.name("tags").getter(ContactItem::tags).setter((b, v) -> b.tags = v))
          .addAttribute(
              EnhancedType.mapOf(String.class, String.class),
              a ->
                  a.name("customFields")
                      .getter(ContactItem::customFields)
                      .setter((b, v) -> b.customFields = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("createdAt")
                      .getter(ContactItem::createdAt)
                      .setter((b, v) -> b.createdAt = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("updatedAt")
                      .getter(ContactItem::updatedAt)
                      .setter((b, v) -> b.updatedAt = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("deletedAt")
                      .getter(ContactItem::deletedAt)
                      .setter((b, v) -> b.deletedAt = v))
          .addAttribute(
              Long.class,
              a -> a.name(VERSION).getter(ContactItem::version).setter((b, v) -> b.version = v))
          // Derived: written from the other attributes, ignored when read.
          .addAttribute(
              String.class,
              a -> a.name(Keys.LIST_PK).getter(ContactItem::listPk).setter((b, v) -> {}))
          .addAttribute(
              String.class,
              a -> a.name(Keys.LIST_SK).getter(ContactItem::listSk).setter((b, v) -> {}))
          .build();
}
