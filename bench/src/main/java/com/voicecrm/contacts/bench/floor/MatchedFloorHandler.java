package com.voicecrm.contacts.bench.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The request-matched floor: the DynamoDB requests an upsert that creates a contact must make, and
 * nothing else. One consistent BatchGetItem of the workspace, the phone and email claims and the
 * request's tag registrations, then one TransactWriteItems: the contact, both claims and each tag
 * new to the workspace, each conditioned on not existing, as the function does. No validation, no
 * libphonenumber, no merge, no mapping layer: the phone is taken as its digits, the email
 * lower-cased. What the function costs above this is its own work.
 */
public final class MatchedFloorHandler implements RequestStreamHandler {

  private static final String NOT_EXISTS = "attribute_not_exists(pk)";

  private final DynamoDbClient dynamo = FloorClients.dynamo();
  private final String table = System.getenv("TABLE_NAME");

  public MatchedFloorHandler() {
    FloorPriming.register(dynamo, table);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    FloorEvent event = FloorEvent.read(input);
    Map<String, String> fields = new HashMap<>();
    List<String> tags = new ArrayList<>();
    Map<String, AttributeValue> custom = new HashMap<>();
    try (JsonParser parser = FloorEvent.JSON.createParser(event.body())) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        if (token == JsonToken.START_ARRAY) {
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            tags.add(parser.getText());
          }
        } else if (token == JsonToken.START_OBJECT) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            custom.put(key, AttributeValue.fromS(parser.getText()));
          }
        } else {
          fields.put(name, parser.getText());
        }
      }
    }
    String workspace = fields.get("workspaceId");
    String phone = "+" + fields.get("phone").replaceAll("[^0-9]", "");
    String email = fields.get("email").toLowerCase(Locale.ROOT);
    String phoneKey = "WS#" + workspace + "#PHONE#" + phone;
    String emailKey = "WS#" + workspace + "#EMAIL#" + email;

    List<Map<String, AttributeValue>> keys = new ArrayList<>();
    keys.add(key("WORKSPACE#" + workspace, "WORKSPACE"));
    keys.add(key(phoneKey, "IDENTIFIER"));
    keys.add(key(emailKey, "IDENTIFIER"));
    for (String tag : tags) {
      keys.add(key("WS#" + workspace + "#TAG#" + tag, "TAG"));
    }
    var found =
        dynamo
            .batchGetItem(
                r ->
                    r.requestItems(
                        Map.of(
                            table,
                            KeysAndAttributes.builder().keys(keys).consistentRead(true).build())))
            .responses()
            .getOrDefault(table, List.of());

    String id = UUID.randomUUID().toString();
    String now = Instant.now().toString();
    Map<String, AttributeValue> contact = new HashMap<>(key("CONTACT#" + id, "CONTACT"));
    contact.put("id", AttributeValue.fromS(id));
    contact.put("workspaceId", AttributeValue.fromS(workspace));
    contact.put("accountId", AttributeValue.fromS("acc_demo"));
    fields.forEach(
        (name, value) -> {
          if (!name.equals("workspaceId")) {
            contact.put(name, AttributeValue.fromS(value));
          }
        });
    contact.put("phone", AttributeValue.fromS(phone));
    contact.put("tags", AttributeValue.fromL(tags.stream().map(AttributeValue::fromS).toList()));
    contact.put("customFields", AttributeValue.fromM(custom));
    contact.put("createdAt", AttributeValue.fromS(now));
    contact.put("updatedAt", AttributeValue.fromS(now));
    contact.put("version", AttributeValue.fromN("1"));

    List<TransactWriteItem> writes = new ArrayList<>();
    writes.add(put(contact));
    writes.add(put(claim(phoneKey, workspace, id)));
    writes.add(put(claim(emailKey, workspace, id)));
    for (String tag : tags) {
      String tagKey = "WS#" + workspace + "#TAG#" + tag;
      if (found.stream().noneMatch(item -> item.get("pk").s().equals(tagKey))) {
        Map<String, AttributeValue> registration = new HashMap<>(key(tagKey, "TAG"));
        registration.put("workspaceId", AttributeValue.fromS(workspace));
        registration.put("tag", AttributeValue.fromS(tag));
        registration.put("createdAt", AttributeValue.fromS(now));
        writes.add(put(registration));
      }
    }
    dynamo.transactWriteItems(
        r -> r.transactItems(writes).clientRequestToken(UUID.randomUUID().toString()));
    FloorEvent.writeCreated(output, event.requestId(), id);
  }

  private static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
  }

  private static Map<String, AttributeValue> claim(String pk, String workspace, String id) {
    Map<String, AttributeValue> claim = new HashMap<>(key(pk, "IDENTIFIER"));
    claim.put("workspaceId", AttributeValue.fromS(workspace));
    claim.put("contactId", AttributeValue.fromS(id));
    return claim;
  }

  private TransactWriteItem put(Map<String, AttributeValue> item) {
    return TransactWriteItem.builder()
        .put(Put.builder().tableName(table).item(item).conditionExpression(NOT_EXISTS).build())
        .build();
  }
}
