package com.voicecrm.contacts.store;

import com.voicecrm.contacts.store.Schemas.Keyed;
import com.voicecrm.contacts.store.Schemas.KeyedBuilder;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/** Registers a tag in a workspace. */
record TagItem(String pk, String sk, String workspaceId, String tag, String createdAt)
    implements Keyed {

  /** Named for the tag overflow's UpdateItem, which writes the same three attributes. */
  static final String WORKSPACE_ID = "workspaceId";

  static final String TAG = "tag";
  static final String CREATED_AT = "createdAt";

  static TagItem registration(String workspaceId, String tag, Instant at) {
    return new TagItem(Keys.tag(workspaceId, tag), Keys.TAG, workspaceId, tag, at.toString());
  }

  static final class Builder extends KeyedBuilder {
    String workspaceId;
    String tag;
    String createdAt;

    TagItem build() {
      return new TagItem(pk, sk, workspaceId, tag, createdAt);
    }
  }

  static final TableSchema<TagItem> SCHEMA =
      Schemas.keyed(TagItem.class, Builder.class, Builder::new, Builder::build)
          .addAttribute(
              String.class,
              a ->
                  a.name(WORKSPACE_ID)
                      .getter(TagItem::workspaceId)
                      .setter((b, v) -> b.workspaceId = v))
          .addAttribute(
              String.class, a -> a.name(TAG).getter(TagItem::tag).setter((b, v) -> b.tag = v))
          .addAttribute(
              String.class,
              a -> a.name(CREATED_AT).getter(TagItem::createdAt).setter((b, v) -> b.createdAt = v))
          .build();
}
