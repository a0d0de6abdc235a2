package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.ApiKeys;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.it.FaultInjector.Kind;
import com.voicecrm.contacts.it.FaultInjector.Phase;
import com.voicecrm.contacts.it.FaultInjector.Rule;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What must never leave the function: API keys, phones and emails in its logs (at INFO, the level
 * it runs at), and exception names, SDK text or table names in its error bodies, including the 500
 * and 503 paths reached only when DynamoDB misbehaves.
 */
class ReliabilitySecurityIT {

  private static final ReliabilityStats.Suite STATS = ReliabilityStats.suite("security");

  @Test
  void logs_carryNoApiKeyPhoneOrEmail_andErrorBodiesNoInternals() {
    FaultInjector faults = new FaultInjector();
    DynamoDbClient faulty = Rig.clientWith(faults);
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    List<String> secrets = new ArrayList<>();
    List<Response> problems = new ArrayList<>();
    STATS.scenario();
    try (Rig rig = Rig.open(faulty, new RetryPolicy(3, 5, 20, 1_000))) {
      Tenant tenant = rig.newTenant(null, "Lead Source");
      String revoked = rig.newKey(tenant.accountId(), null);
      new DynamoApiKeyStore(rig.plain, rig.table).revoke(ApiKeys.hash(revoked), Instant.now());
      String unknown = ApiKeys.generate(true);
      for (String key : List.of(tenant.accountKey(), tenant.workspaceKey(), revoked, unknown)) {
        secrets.add(key);
        secrets.add(key.substring("sk_test_".length()));
      }
      secrets.addAll(
          List.of(
              "+14155550142",
              "4155550142",
              "555-0142",
              "Secret.Person@Example.com",
              "secret.person@example.com",
              "Secret.Person",
              "+442079460321",
              "2079460321",
              "bad person@example.com"));
      System.setOut(capture);
      System.setErr(capture);

      List<Response> responses = new ArrayList<>();
      String ws = tenant.workspaceId();
      Map<String, Object> person =
          Map.of(
              "workspaceId",
              ws,
              "phone",
              "+1 415-555-0142",
              "email",
              "Secret.Person@Example.com",
              "firstName",
              "Sam");
      responses.add(rig.upsert(tenant.accountKey(), person));
      String id = responses.get(0).json().get("id").asText();
      responses.add(
          rig.upsert(
              tenant.workspaceKey(),
              Map.of("phone", "+14155550142", "email", "+442079460321@x.co")));
      responses.add(
          rig.upsert(
              tenant.workspaceKey(),
              Map.of("phone", "+44 20 7946 0321", "email", "bad person@example.com")));
      responses.add(rig.upsert(tenant.workspaceKey(), Map.of("phone", "4155550142")));
      responses.add(rig.upsert(tenant.accountKey(), Map.of("phone", "+14155550142")));
      responses.add(
          rig.upsert(
              tenant.workspaceKey(), "{\"phone\":\"+14155550142\",\"phone\":\"+442079460321\"}"));
      for (String key : List.of(revoked, unknown, "sk_test_tooShort", tenant.accountKey() + "x")) {
        responses.add(rig.upsert(key, person));
      }
      responses.add(rig.call("GET", "/v1/contacts/" + id, tenant.workspaceKey(), null));
      // The create-only route: a conflict names the holder by id only, a bad body echoes nothing.
      responses.add(rig.call("POST", "/v1/contacts", tenant.accountKey(), TestApi.json(person)));
      responses.add(
          rig.call(
              "POST",
              "/v1/contacts",
              tenant.workspaceKey(),
              TestApi.json(
                  Map.of("phone", "+44 20 7946 0321", "email", "bad person@example.com"))));
      // The list route (SPEC 9): identifiers travel in the query string, which is never logged.
      responses.add(
          rig.call("GET", "/v1/contacts?phone=%2B1%20415-555-0142", tenant.workspaceKey(), null));
      responses.add(
          rig.call(
              "GET",
              "/v1/contacts?email=Secret.Person%40Example.com",
              tenant.workspaceKey(),
              null));
      responses.add(
          rig.call(
              "GET",
              "/v1/contacts?email=bad%20person%40example.com&tag=%2B442079460321",
              tenant.workspaceKey(),
              null));
      faults.arm(List.of(new Rule("GetItem", Phase.BEFORE_SEND, Kind.INTERNAL_ERROR, Set.of(2))));
      responses.add(
          rig.call("GET", "/v1/contacts?phone=%2B14155550142", tenant.workspaceKey(), null));
      STATS.faults(faults.injected().size());
      faults.arm(List.of(new Rule("Query", Phase.BEFORE_SEND, Kind.VALIDATION, Set.of())));
      responses.add(rig.call("GET", "/v1/contacts?limit=5", tenant.workspaceKey(), null));
      STATS.faults(faults.injected().size());
      faults.disarm();
      // DynamoDB failing: persistent 5xx comes out as 503, an unexpected DynamoDB error as 500.
      faults.arm(
          List.of(
              new Rule("TransactWriteItems", Phase.BEFORE_SEND, Kind.INTERNAL_ERROR, Set.of())));
      responses.add(
          rig.upsert(tenant.workspaceKey(), Map.of("phone", "+14155550142", "firstName", "Other")));
      STATS.faults(faults.injected().size());
      faults.arm(
          List.of(new Rule("BatchGetItem", Phase.BEFORE_SEND, Kind.INTERNAL_ERROR, Set.of())));
      responses.add(
          rig.upsert(
              tenant.workspaceKey(),
              Map.of("email", "secret.person@example.com", "firstName", "Other")));
      STATS.faults(faults.injected().size());
      faults.arm(List.of(new Rule("GetItem", Phase.BEFORE_SEND, Kind.VALIDATION, Set.of())));
      responses.add(rig.call("GET", "/v1/contacts/" + id, tenant.workspaceKey(), null));
      STATS.faults(faults.injected().size());
      faults.arm(
          List.of(new Rule("TransactWriteItems", Phase.BEFORE_SEND, Kind.VALIDATION, Set.of())));
      responses.add(
          rig.upsert(tenant.workspaceKey(), Map.of("phone", "+14155550142", "firstName", "Other")));
      STATS.faults(faults.injected().size());
      faults.disarm();
      responses.add(rig.call("DELETE", "/v1/contacts/" + id, tenant.workspaceKey(), null));
      responses.add(rig.call("DELETE", "/v1/contacts/" + id, tenant.workspaceKey(), null));
      STATS.requests(responses.size());

      Set<Integer> statuses = new java.util.TreeSet<>();
      for (Response response : responses) {
        statuses.add(response.status());
        if (response.status() >= 400) {
          problems.add(response);
          ProblemChecks.assertProblem(response);
          for (String secret : List.of(tenant.accountKey(), tenant.workspaceKey(), rig.table)) {
            assertFalse(response.body().contains(secret), response.toString());
          }
        }
      }
      assertEquals(Set.of(200, 201, 204, 400, 401, 404, 409, 500, 503), statuses);
    } finally {
      System.setOut(out);
      System.setErr(err);
      faulty.close();
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertTrue(
        logs.contains("POST /v1/contacts/upsert -> 201"), "the request log was captured: " + logs);
    assertTrue(logs.contains("-> 500"), logs);
    assertTrue(logs.contains("POST /v1/contacts -> 409"), logs);
    assertTrue(logs.contains("GET /v1/contacts -> 200"), logs);
    assertTrue(logs.contains("GET /v1/contacts -> 500"), logs);
    String lower = logs.toLowerCase(Locale.ROOT);
    for (String secret : secrets) {
      assertFalse(
          lower.contains(secret.toLowerCase(Locale.ROOT)), () -> "logged: " + secret + "\n" + logs);
    }
    assertTrue(problems.size() >= 10);
  }
}
