package com.voicecrm.contacts.bench.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The PutItem floor: the least a Java Lambda can do for an upsert event. It streams the API Gateway
 * event with jackson-core, reads the body's fields, writes one item with PutItem and answers 201.
 * Same SDK, HTTP client and region/credential resolution as the function; no validation, no
 * matching, no transaction. No correct upsert can match it (it must read before it writes), so it
 * is the second reference; {@link MatchedFloorHandler} makes the upsert's own requests.
 */
public final class FloorHandler implements RequestStreamHandler {

  private final DynamoDbClient dynamo = FloorClients.dynamo();
  private final String table = System.getenv("TABLE_NAME");

  /** As Lambda builds it; registers its SnapStart priming (a no-op outside SnapStart). */
  public FloorHandler() {
    FloorPriming.register(dynamo, table);
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    FloorEvent event = FloorEvent.read(input);
    String id = UUID.randomUUID().toString();
    Map<String, AttributeValue> item = item(event.body(), id);
    dynamo.putItem(r -> r.tableName(table).item(item));
    FloorEvent.writeCreated(output, event.requestId(), id);
  }

  /** The body's fields as one item, with no validation or mapping. */
  static Map<String, AttributeValue> item(String body, String id) throws IOException {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS("CONTACT#" + id));
    item.put("sk", AttributeValue.fromS("CONTACT"));
    item.put("id", AttributeValue.fromS(id));
    item.put("createdAt", AttributeValue.fromS(Instant.now().toString()));
    try (JsonParser parser = FloorEvent.JSON.createParser(body)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken token = parser.nextToken();
        if (token == JsonToken.START_ARRAY) {
          List<String> values = new ArrayList<>();
          while (parser.nextToken() != JsonToken.END_ARRAY) {
            values.add(parser.getText());
          }
          item.put(name, AttributeValue.fromSs(values));
        } else if (token == JsonToken.START_OBJECT) {
          Map<String, AttributeValue> values = new HashMap<>();
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            values.put(key, AttributeValue.fromS(parser.getText()));
          }
          item.put(name, AttributeValue.fromM(values));
        } else {
          item.put(name, AttributeValue.fromS(parser.getText()));
        }
      }
    }
    return item;
  }

  /** Used by {@link FloorEvent#writeCreated}: the response a proxy integration needs. */
  static void writeResponse(JsonGenerator out, String requestId, String id) throws IOException {
    out.writeStartObject();
    out.writeNumberField("statusCode", 201);
    out.writeObjectFieldStart("headers");
    out.writeStringField("Content-Type", "application/json");
    out.writeStringField("X-Request-Id", requestId);
    out.writeEndObject();
    out.writeStringField("body", "{\"id\":\"" + id + "\"}");
    out.writeBooleanField("isBase64Encoded", false);
    out.writeEndObject();
  }
}
