package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.CustomFieldDefinition;
import com.voicecrm.contacts.domain.Workspace;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Accounts and workspaces, as an operator (or the seed loader) defines them. */
public final class DynamoDirectory {

  private final DynamoDbClient dynamo;
  private final String table;
  private final ItemReads reads;

  public DynamoDirectory(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
    this.reads = new ItemReads(dynamo, table, CallBudget.NONE);
  }

  public void putAccount(String accountId, String name) {
    Map<String, AttributeValue> item =
        AccountItem.SCHEMA.itemToMap(AccountItem.of(accountId, name), true);
    dynamo.putItem(r -> r.tableName(table).item(item));
  }

  /** The workspace, read consistently. */
  public Optional<Workspace> findWorkspace(String workspaceId) {
    return WorkspaceItem.find(reads, workspaceId);
  }

  /**
   * Creates or updates a workspace. Custom fields already defined keep their ids (so stored values
   * keep their meaning); a new display name gets an id derived from workspace and name, so loading
   * the same definition twice yields the same ids.
   */
  public Workspace putWorkspace(
      String workspaceId,
      String accountId,
      String name,
      String defaultTimezone,
      List<String> customFieldNames) {
    Map<String, String> fields = new HashMap<>();
    findWorkspace(workspaceId)
        .ifPresent(w -> w.customFields().forEach(f -> fields.put(f.id(), f.name())));
    for (String fieldName : customFieldNames) {
      if (!fields.containsValue(fieldName)) {
        fields.put(fieldIdFor(workspaceId, fieldName), fieldName);
      }
    }
    WorkspaceItem item = WorkspaceItem.of(workspaceId, accountId, name, defaultTimezone, fields);
    dynamo.putItem(r -> r.tableName(table).item(WorkspaceItem.SCHEMA.itemToMap(item, true)));
    return item.toWorkspace();
  }

  /** Renames a custom field; values stay attached to its id. */
  public void renameCustomField(String workspaceId, String oldName, String newName) {
    Workspace workspace =
        findWorkspace(workspaceId)
            .orElseThrow(() -> new IllegalArgumentException("no workspace " + workspaceId));
    CustomFieldDefinition field =
        workspace
            .fieldNamed(oldName)
            .orElseThrow(() -> new IllegalArgumentException("no custom field " + oldName));
    dynamo.updateItem(
        r ->
            r.tableName(table)
                .key(Keys.workspaceKey(workspaceId))
                .updateExpression("SET #fields.#id = :name")
                .expressionAttributeNames(
                    Map.of("#fields", WorkspaceItem.CUSTOM_FIELDS, "#id", field.id()))
                .expressionAttributeValues(Map.of(":name", AttributeValue.fromS(newName))));
  }

  static String fieldIdFor(String workspaceId, String fieldName) {
    return UUID.nameUUIDFromBytes((workspaceId + "\n" + fieldName).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
