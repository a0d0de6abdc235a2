package com.voicecrm.contacts.it;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.domain.ApiKeys;
import com.voicecrm.contacts.local.LocalApi;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import com.voicecrm.contacts.store.DynamoDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The API as the integration tests see it: one {@link LocalApi} per test JVM (moto started by it,
 * or the endpoint in {@code -Dit.dynamodb.endpoint}), called through the local gateway, so every
 * request runs the real authorizer and handler against a real DynamoDB-compatible server. Each test
 * makes its own tenant, so tests never see each other's data.
 */
public final class TestApi {

  public static final ObjectMapper JSON = new ObjectMapper();
  private static LocalApi api;

  private TestApi() {}

  public static synchronized LocalApi api() {
    if (api == null) {
      try {
        Map<String, String> env = new HashMap<>();
        env.put(ServiceContract.ENV_TABLE_NAME, "contacts-it");
        String endpoint = System.getProperty("it.dynamodb.endpoint");
        if (endpoint == null && "localstack".equals(System.getProperty("it.dynamodb"))) {
          endpoint = LocalStackEndpoint.start();
        }
        if (endpoint != null) {
          env.put(ServiceContract.ENV_DYNAMODB_ENDPOINT, endpoint);
        }
        // Tests send many requests per key: usage plans are off here; UsagePlansIT turns them on.
        api = LocalApi.start(0, projectRoot().resolve("events/local-seed.json"), env, false);
        Runtime.getRuntime().addShutdownHook(new Thread(api::close));
      } catch (Exception e) {
        throw new IllegalStateException("Could not start the local API", e);
      }
    }
    return api;
  }

  public static Path projectRoot() {
    return Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
  }

  /** An account with one workspace, an account key and a workspace key, all new. */
  public record Tenant(
      String accountId, String workspaceId, String accountKey, String workspaceKey) {}

  public static Tenant newTenant(String defaultTimezone, String... customFields) {
    String accountId = "acc_" + UUID.randomUUID().toString().substring(0, 8);
    String workspaceId = UUID.randomUUID().toString();
    return newTenantWithIds(accountId, workspaceId, defaultTimezone, customFields);
  }

  public static Tenant newTenantWithIds(
      String accountId, String workspaceId, String defaultTimezone, String... customFields) {
    DynamoDirectory directory = new DynamoDirectory(api().dynamo(), api().table());
    directory.putAccount(accountId, "Test " + accountId);
    directory.putWorkspace(
        workspaceId, accountId, "Workspace", defaultTimezone, List.of(customFields));
    String accountKey = newKey(accountId, null);
    String workspaceKey = newKey(accountId, workspaceId);
    return new Tenant(accountId, workspaceId, accountKey, workspaceKey);
  }

  public static String newKey(String accountId, String workspaceId) {
    String key = ApiKeys.generate(false);
    new DynamoApiKeyStore(api().dynamo(), api().table())
        .put(
            new ApiKeyRecord(
                ApiKeys.hash(key), accountId, workspaceId, "free", "test", Instant.now(), null));
    return key;
  }

  /** A response with its headers matched case-insensitively and its body parsed when JSON. */
  public record Response(int status, Map<String, String> headers, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (Exception e) {
        throw new AssertionError("Body is not JSON: " + body, e);
      }
    }

    public String header(String name) {
      return headers.get(name);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public static Response call(String method, String path, String key, String body) {
    return call(
        method,
        path,
        headers(key, body != null),
        body == null ? null : body.getBytes(StandardCharsets.UTF_8));
  }

  /** The headers a client sends: its key as a bearer token, and a JSON content type with a body. */
  static Map<String, List<String>> headers(String key, boolean jsonBody) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (key != null) {
      headers.put("Authorization", List.of("Bearer " + key));
    }
    if (jsonBody) {
      headers.put("Content-Type", List.of("application/json"));
    }
    return headers;
  }

  public static Response call(
      String method, String path, Map<String, List<String>> headers, byte[] body) {
    APIGatewayProxyResponseEvent response = api().gateway().handle(method, path, headers, body);
    Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (response.getHeaders() != null) {
      responseHeaders.putAll(response.getHeaders());
    }
    return new Response(response.getStatusCode(), responseHeaders, response.getBody());
  }

  public static Response upsert(String key, Object body) {
    return call("POST", "/v1/contacts/upsert", key, json(body));
  }

  public static String json(Object body) {
    if (body instanceof String text) {
      return text;
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Every item of the table whose partition key starts with {@code prefix}. */
  public static List<Map<String, AttributeValue>> scan(String prefix) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    api()
        .dynamo()
        .scanPaginator(ScanRequest.builder().tableName(api().table()).consistentRead(true).build())
        .items()
        .forEach(
            item -> {
              if (item.get("pk").s().startsWith(prefix)) {
                items.add(item);
              }
            });
    return items;
  }
}
