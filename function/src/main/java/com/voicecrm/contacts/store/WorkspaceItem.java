package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.CustomFieldDefinition;
import com.voicecrm.contacts.domain.Workspace;
import com.voicecrm.contacts.store.Schemas.Keyed;
import com.voicecrm.contacts.store.Schemas.KeyedBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/** A workspace; {@code customFields} maps field id to display name. */
record WorkspaceItem(
    String pk,
    String sk,
    String id,
    String accountId,
    String name,
    String defaultTimezone,
    Map<String, String> customFields)
    implements Keyed {

  /** A rename sets one entry of it in place. */
  static final String CUSTOM_FIELDS = "customFields";

  static WorkspaceItem of(
      String workspaceId,
      String accountId,
      String name,
      String defaultTimezone,
      Map<String, String> customFields) {
    return new WorkspaceItem(
        Keys.workspace(workspaceId),
        Keys.WORKSPACE,
        workspaceId,
        accountId,
        name,
        defaultTimezone,
        customFields);
  }

  /** The workspace, read consistently. */
  static Optional<Workspace> find(ItemReads reads, String workspaceId) {
    return reads
        .get(Keys.workspaceKey(workspaceId))
        .map(item -> SCHEMA.mapToItem(item).toWorkspace());
  }

  Workspace toWorkspace() {
    List<CustomFieldDefinition> fields = new ArrayList<>();
    if (customFields != null) {
      customFields.forEach(
          (fieldId, fieldName) -> fields.add(new CustomFieldDefinition(fieldId, fieldName)));
    }
    return new Workspace(id, accountId, name, defaultTimezone, fields);
  }

  static final class Builder extends KeyedBuilder {
    String id;
    String accountId;
    String name;
    String defaultTimezone;
    Map<String, String> customFields;

    WorkspaceItem build() {
      return new WorkspaceItem(pk, sk, id, accountId, name, defaultTimezone, customFields);
    }
  }

  static final TableSchema<WorkspaceItem> SCHEMA =
      Schemas.keyed(WorkspaceItem.class, Builder.class, Builder::new, Builder::build)
          .addAttribute(
              String.class, a -> a.name("id").getter(WorkspaceItem::id).setter((b, v) -> b.id = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("accountId")
                      .getter(WorkspaceItem::accountId)
                      .setter((b, v) -> b.accountId = v))
          .addAttribute(
              String.class,
              a -> a.name("name").getter(WorkspaceItem::name).setter((b, v) -> b.name = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("defaultTimezone")
                      .getter(WorkspaceItem::defaultTimezone)
                      .setter((b, v) -> b.defaultTimezone = v))
          .addAttribute(
              EnhancedType.mapOf(String.class, String.class),
              a ->
                  a.name(CUSTOM_FIELDS)
                      .getter(WorkspaceItem::customFields)
                      .setter((b, v) -> b.customFields = v))
          .build();
}
