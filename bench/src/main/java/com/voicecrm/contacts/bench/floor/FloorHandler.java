package com.voicecrm.contacts.bench.floor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The floor: the least a Java Lambda can do for an upsert event. It streams the API Gateway event
 * with jackson-core, reads the body's fields, writes one item with PutItem and answers 201. Same
 * SDK, same HTTP client and the same region/credential resolution as the function, no validation,
 * no matching, no transaction. Whatever the function costs above this is its own.
 */
public final class FloorHandler {

  private static final JsonFactory JSON = new JsonFactory();

  private final DynamoDbClient dynamo;
  private final String table;

  /** As Lambda would build it: TABLE_NAME, DYNAMODB_ENDPOINT, AWS_REGION from the environment. */
  public FloorHandler() {
    this(System.getProperty("floor.http", "url"));
  }

  /** With the HTTP client named: {@code url} (UrlConnectionHttpClient) or {@code crt}. */
  public FloorHandler(String httpClient) {
    this(httpClient(httpClient));
  }

  private FloorHandler(SdkHttpClient http) {
    this.table = System.getenv("TABLE_NAME");
    var builder =
        DynamoDbClient.builder()
            .region(Region.of(System.getenv("AWS_REGION")))
            .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
            .httpClient(http);
    String endpoint = System.getenv("DYNAMODB_ENDPOINT");
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    this.dynamo = builder.build();
  }

  private static SdkHttpClient httpClient(String kind) {
    if (kind.equals("crt")) {
      return CrtClient.create();
    }
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(Duration.ofSeconds(2))
        .socketTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Kept in its own class so the URL connection run never loads a CRT class. */
  private static final class CrtClient {
    static SdkHttpClient create() {
      return software.amazon.awssdk.http.crt.AwsCrtHttpClient.builder()
          .connectionTimeout(Duration.ofSeconds(2))
          .build();
    }
  }

  /** Reads one API Gateway proxy event, writes the contact, writes the proxy response. */
  public void handleRequest(InputStream event, OutputStream response) throws IOException {
    String body = null;
    String requestId = null;
    try (JsonParser parser = JSON.createParser(event)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (name.equals("body")) {
          body = parser.getText();
        } else if (name.equals("requestContext")) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("requestId")) {
              requestId = parser.getText();
            } else {
              parser.skipChildren();
            }
          }
        } else {
          parser.skipChildren();
        }
      }
    }
    String id = UUID.randomUUID().toString();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS("CONTACT#" + id));
    item.put("sk", AttributeValue.fromS("CONTACT"));
    item.put("id", AttributeValue.fromS(id));
    item.put("createdAt", AttributeValue.fromS(Instant.now().toString()));
    try (JsonParser parser = JSON.createParser(body)) {
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
    dynamo.putItem(r -> r.tableName(table).item(item));
    try (JsonGenerator out = JSON.createGenerator(response)) {
      out.writeStartObject();
      out.writeNumberField("statusCode", 201);
      out.writeObjectFieldStart("headers");
      out.writeStringField("Content-Type", "application/json");
      out.writeStringField("X-Request-Id", requestId);
      out.writeEndObject();
      out.writeStringField("body", "{\"id\":\"" + id + "\"}");
      out.writeEndObject();
    }
  }
}
