package com.voicecrm.contacts.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.local.LocalApi;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The API as the integration tests see it: one {@link LocalApi} per test JVM (moto started by it,
 * or the endpoint in {@code -Dit.dynamodb.endpoint}), called through the local gateway, so every
 * request runs the real authorizer and handler against a real DynamoDB-compatible server. Each test
 * makes its own tenant, so tests never see each other's data. The shortcuts are those of the one
 * test rig, {@link Rig}, over this shared table; suites that need a table of their own (fault
 * injection, a short time budget) open a {@link Rig}.
 */
public final class TestApi {

  public static final ObjectMapper JSON = new ObjectMapper();
  private static LocalApi api;
  private static Rig shared;

  /** The clock of {@link #api()}'s handler; {@link #settle} steps it. */
  static final SteppedClock CLOCK = new SteppedClock();

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
        api = LocalApi.start(0, projectRoot().resolve("events/local-seed.json"), env, false, CLOCK);
        Runtime.getRuntime().addShutdownHook(new Thread(api::close));
      } catch (Exception e) {
        throw new IllegalStateException("Could not start the local API", e);
      }
    }
    return api;
  }

  /** The one rig over {@link #api()}: these shortcuts are its methods, for the shared table. */
  static synchronized Rig shared() {
    if (shared == null) {
      shared = Rig.over(api());
    }
    return shared;
  }

  public static Path projectRoot() {
    return Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
  }

  /**
   * Lets the list route's settle horizon pass every write that has returned, so the unfiltered, tag
   * and updatedAfter listings show them (SPEC 9 lets them lag writes; in AWS they would a second
   * and a half later). Only while no write of the shared table is in flight.
   */
  public static void settle() {
    CLOCK.settle();
  }

  /** An account with one workspace, an account key and a workspace key, all new. */
  public record Tenant(
      String accountId, String workspaceId, String accountKey, String workspaceKey) {}

  public static Tenant newTenant(String defaultTimezone, String... customFields) {
    return shared().newTenant(defaultTimezone, customFields);
  }

  public static Tenant newTenantWithIds(
      String accountId, String workspaceId, String defaultTimezone, String... customFields) {
    return shared().newTenantWithIds(accountId, workspaceId, defaultTimezone, customFields);
  }

  public static String newKey(String accountId, String workspaceId) {
    return shared().newKey(accountId, workspaceId);
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
    return shared().call(method, path, key, body);
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
    return shared().call(method, path, headers, body);
  }

  public static Response upsert(String key, Object body) {
    return shared().upsert(key, body);
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
    return shared().scan().stream().filter(item -> item.get("pk").s().startsWith(prefix)).toList();
  }
}
