package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.Identifier;
import com.voicecrm.contacts.store.Schemas.Keyed;
import com.voicecrm.contacts.store.Schemas.KeyedBuilder;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/** Claims a phone or an email in a workspace for one active contact. */
record IdentifierItem(String pk, String sk, String workspaceId, String contactId) implements Keyed {

  /** The holder; a release is conditioned on it. */
  static final String CONTACT_ID = "contactId";

  static IdentifierItem claim(String workspaceId, Identifier identifier, String contactId) {
    return new IdentifierItem(
        Keys.identifier(workspaceId, identifier), Keys.IDENTIFIER, workspaceId, contactId);
  }

  static final class Builder extends KeyedBuilder {
    String workspaceId;
    String contactId;

    IdentifierItem build() {
      return new IdentifierItem(pk, sk, workspaceId, contactId);
    }
  }

  static final TableSchema<IdentifierItem> SCHEMA =
      Schemas.keyed(IdentifierItem.class, Builder.class, Builder::new, Builder::build)
          .addAttribute(
              String.class,
              a ->
                  a.name("workspaceId")
                      .getter(IdentifierItem::workspaceId)
                      .setter((b, v) -> b.workspaceId = v))
          .addAttribute(
              String.class,
              a ->
                  a.name(CONTACT_ID)
                      .getter(IdentifierItem::contactId)
                      .setter((b, v) -> b.contactId = v))
          .build();
}
