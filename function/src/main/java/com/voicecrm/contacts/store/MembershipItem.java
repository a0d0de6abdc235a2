package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ListPosition;
import com.voicecrm.contacts.store.Schemas.Keyed;
import com.voicecrm.contacts.store.Schemas.KeyedBuilder;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * An active contact's membership of one of its tags: the tag list index's entry (SPEC 9), in the
 * contact's partition, rewritten with every write of the contact so the index keeps the order
 * (updatedAt, id).
 */
record MembershipItem(
    String pk,
    String sk,
    String workspaceId,
    String contactId,
    String tag,
    String tagListPk,
    String listSk)
    implements Keyed {

  static MembershipItem of(Contact contact, String tag) {
    return new MembershipItem(
        Keys.contact(contact.id()),
        Keys.MEMBERSHIP_PREFIX + tag,
        contact.workspaceId(),
        contact.id(),
        tag,
        ListIndexKeys.tagPartition(contact.workspaceId(), tag),
        ListIndexKeys.sortKey(ListPosition.of(contact)));
  }

  static final class Builder extends KeyedBuilder {
    String workspaceId;
    String contactId;
    String tag;
    String tagListPk;
    String listSk;

    MembershipItem build() {
      return new MembershipItem(pk, sk, workspaceId, contactId, tag, tagListPk, listSk);
    }
  }

  static final TableSchema<MembershipItem> SCHEMA =
      Schemas.keyed(MembershipItem.class, Builder.class, Builder::new, Builder::build)
          .addAttribute(
              String.class,
              a ->
                  a.name("workspaceId")
                      .getter(MembershipItem::workspaceId)
                      .setter((b, v) -> b.workspaceId = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("contactId")
                      .getter(MembershipItem::contactId)
                      .setter((b, v) -> b.contactId = v))
          .addAttribute(
              String.class,
              a -> a.name("tag").getter(MembershipItem::tag).setter((b, v) -> b.tag = v))
          .addAttribute(
              String.class,
              a ->
                  a.name(Keys.TAG_LIST_PK)
                      .getter(MembershipItem::tagListPk)
                      .setter((b, v) -> b.tagListPk = v))
          .addAttribute(
              String.class,
              a ->
                  a.name(Keys.LIST_SK)
                      .getter(MembershipItem::listSk)
                      .setter((b, v) -> b.listSk = v))
          .build();
}
