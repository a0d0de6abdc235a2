package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.CustomFieldDefinition;
import com.voicecrm.contacts.domain.Workspace;
import com.voicecrm.contacts.store.Items.AccountItem;
import com.voicecrm.contacts.store.Items.WorkspaceItem;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Accounts and workspaces, as an operator (or the seed loader) defines them. */
public final class DynamoDirectory {

  private final DynamoDbClient dynamo;
  private final String table;
  private final DynamoContactStore contacts;

  public DynamoDirectory(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
    this.contacts = new DynamoContactStore(dynamo, table);
  }

  public void putAccount(String accountId, String name) {
    AccountItem item = new AccountItem();
    item.pk = Keys.account(accountId);
    item.sk = Keys.ACCOUNT;
    item.id = accountId;
    item.name = name;
    dynamo.putItem(r -> r.tableName(table).item(Items.ACCOUNT.itemToMap(item, true)));
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
    contacts
        .findWorkspace(workspaceId)
        .ifPresent(w -> w.customFields().forEach(f -> fields.put(f.id(), f.name())));
    for (String fieldName : customFieldNames) {
      if (!fields.containsValue(fieldName)) {
        fields.put(fieldIdFor(workspaceId, fieldName), fieldName);
      }
    }
    WorkspaceItem item = new WorkspaceItem();
    item.pk = Keys.workspace(workspaceId);
    item.sk = Keys.WORKSPACE;
    item.id = workspaceId;
    item.accountId = accountId;
    item.name = name;
    item.defaultTimezone = defaultTimezone;
    item.customFields = fields;
    dynamo.putItem(r -> r.tableName(table).item(Items.WORKSPACE.itemToMap(item, true)));
    return DynamoContactStore.toWorkspace(item);
  }

  /** Renames a custom field; values stay attached to its id. */
  public void renameCustomField(String workspaceId, String oldName, String newName) {
    Workspace workspace =
        contacts
            .findWorkspace(workspaceId)
            .orElseThrow(() -> new IllegalArgumentException("no workspace " + workspaceId));
    CustomFieldDefinition field =
        workspace
            .fieldNamed(oldName)
            .orElseThrow(() -> new IllegalArgumentException("no custom field " + oldName));
    dynamo.updateItem(
        r ->
            r.tableName(table)
                .key(DynamoContactStore.key(Keys.workspace(workspaceId), Keys.WORKSPACE))
                .updateExpression("SET customFields.#id = :name")
                .expressionAttributeNames(Map.of("#id", field.id()))
                .expressionAttributeValues(Map.of(":name", AttributeValue.fromS(newName))));
  }

  static String fieldIdFor(String workspaceId, String fieldName) {
    return UUID.nameUUIDFromBytes((workspaceId + "\n" + fieldName).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
