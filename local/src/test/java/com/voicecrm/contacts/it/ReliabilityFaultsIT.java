package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.it.FaultInjector.Kind;
import com.voicecrm.contacts.it.FaultInjector.Phase;
import com.voicecrm.contacts.it.FaultInjector.Rule;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * SPEC section 3.5 under injected DynamoDB faults: throttling, transaction conflicts, 5xx, timeouts
 * and dropped connections, at every call site of an upsert, a create, a patch and a delete
 * (BatchGetItem, GetItem, TransactWriteItems), on the 1st, 2nd, 3rd or every call, before the
 * request was sent, after the server applied it, or after the SDK gave up with the write applied.
 * Every request either succeeds or answers 503 with Retry-After; the table is consistent afterwards
 * (all or nothing), and the same request sent again once the faults are gone succeeds.
 */
class ReliabilityFaultsIT {

  private static final ReliabilityStats.Suite STATS = ReliabilityStats.suite("faults");
  // Its own row in make reliability's table.
  private static final ReliabilityStats.Suite BATCH_STATS =
      ReliabilityStats.suite("faults-keyed-batch");
  private static final List<Set<Integer>> CALLS =
      List.of(Set.of(1), Set.of(2), Set.of(1, 2), Set.of(1, 2, 3), Set.of());
  // Small, so that persistent faults come out as 503 quickly; the SDK's own retries still run.
  private static final RetryPolicy RETRIES = new RetryPolicy(4, 5, 40, 1_000);

  // The delays are mostly backoff sleeps, so a few threads overlap them; moto serves one at a time.
  private static final int THREADS = 4;
  private static FaultInjector faults;
  private static DynamoDbClient client;

  enum Request {
    CREATE(List.of("BatchGetItem", "TransactWriteItems")),
    // POST /v1/contacts (SPEC 7): the same calls as an upsert's create.
    CREATE_ONLY(List.of("BatchGetItem", "TransactWriteItems")),
    // A change of the contact alone is one conditional PutItem; a move is a transaction.
    UPDATE(List.of("BatchGetItem", "GetItem", "PutItem")),
    MOVE_EMAIL(List.of("BatchGetItem", "GetItem", "TransactWriteItems")),
    // PATCH (SPEC 8) with If-Match of the seeded version: the contact read, the workspace read,
    // one conditional PutItem. A write applied whose answer was lost must still answer 200, not
    // 412 against its own new version.
    PATCH(List.of("GetItem", "BatchGetItem", "PutItem")),
    // PATCH clearing the email: its release is a transaction with the contact.
    PATCH_CLEAR_EMAIL(List.of("GetItem", "BatchGetItem", "TransactWriteItems")),
    DELETE(List.of("GetItem", "TransactWriteItems")),
    // With an Idempotency-Key (SPEC 11): the record is read with the snapshot (a patch's and a
    // delete's with a GetItem of their own) and rides in the write's transaction, so an update is
    // one too.
    KEYED_CREATE(List.of("BatchGetItem", "TransactWriteItems"), CREATE),
    KEYED_CREATE_ONLY(List.of("BatchGetItem", "TransactWriteItems"), CREATE_ONLY),
    KEYED_UPDATE(List.of("BatchGetItem", "GetItem", "TransactWriteItems"), UPDATE),
    KEYED_PATCH(List.of("GetItem", "BatchGetItem", "TransactWriteItems"), PATCH),
    KEYED_DELETE(List.of("GetItem", "TransactWriteItems"), DELETE);

    final List<String> operations;
    private final Request unkeyed;

    Request(List<String> operations) {
      this(operations, null);
    }

    Request(List<String> operations, Request unkeyed) {
      this.operations = operations;
      this.unkeyed = unkeyed;
    }

    /** The request without its Idempotency-Key: what it does to the table. */
    Request base() {
      return unkeyed == null ? this : unkeyed;
    }

    boolean keyed() {
      return unkeyed != null;
    }
  }

  record Scenario(Request request, List<Rule> rules) {}

  @BeforeAll
  static void client() {
    faults = new FaultInjector();
    client = Rig.clientWith(faults);
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void everyCallSite_everyPosition_everyPhase_succeedsOr503_andLeavesTheTableConsistent()
      throws Exception {
    boolean full = ReliabilityStats.scale() >= 5;
    List<Scenario> scenarios = new ArrayList<>();
    int rotation = 0;
    for (Request request : Request.values()) {
      for (String op : request.operations) {
        List<Kind> kinds = applicable(op);
        for (Phase phase : Phase.values()) {
          if (full) {
            for (Set<Integer> calls : CALLS) {
              for (Kind kind : kinds) {
                scenarios.add(new Scenario(request, List.of(new Rule(op, phase, kind, calls))));
              }
            }
          } else {
            // make test: every call site in every phase, positions and fault kinds rotating; a
            // throttle on every call only costs the SDK's throttling backoff, so it waits for
            // make reliability.
            Set<Integer> calls = CALLS.get(rotation % CALLS.size());
            Kind kind = kinds.get(rotation++ % kinds.size());
            while (calls.isEmpty()
                && (kind == Kind.THROTTLING || kind == Kind.PROVISIONED_THROUGHPUT)) {
              kind = kinds.get(rotation++ % kinds.size());
            }
            scenarios.add(new Scenario(request, List.of(new Rule(op, phase, kind, calls))));
          }
        }
      }
    }
    runAll(scenarios);
  }

  @Test
  void randomFaultPlans_overSeveralCallSitesAtOnce() throws Exception {
    Random random = new Random(Long.getLong("reliability.seed", 4242L));
    List<Scenario> scenarios = new ArrayList<>();
    for (int i = 0; i < 10 * ReliabilityStats.scale(); i++) {
      Request request = Request.values()[random.nextInt(Request.values().length)];
      List<Rule> rules = new ArrayList<>();
      for (String op : request.operations) {
        if (random.nextInt(3) == 0) {
          continue;
        }
        rules.add(randomRule(random, op, 4));
      }
      scenarios.add(new Scenario(request, rules));
    }
    runAll(scenarios);
  }

  private static List<Kind> applicable(String op) {
    return java.util.Arrays.stream(Kind.values()).filter(k -> k.appliesTo(op)).toList();
  }

  /** Runs the scenarios on a few threads, each on tables of its own (a fresh one every 20). */
  private void runAll(List<Scenario> scenarios) throws Exception {
    runAll(scenarios, this::run);
  }

  private <T> void runAll(List<T> scenarios, java.util.function.BiConsumer<Rig, T> body)
      throws Exception {
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> chunks = new ArrayList<>();
      for (int from = 0; from < scenarios.size(); from += 20) {
        List<T> chunk = scenarios.subList(from, Math.min(scenarios.size(), from + 20));
        chunks.add(pool.submit(() -> runChunk(chunk, body, failures)));
      }
      for (Future<?> chunk : chunks) {
        chunk.get();
      }
    } finally {
      pool.shutdownNow();
    }
    if (!failures.isEmpty()) {
      fail(
          failures.size()
              + " of "
              + scenarios.size()
              + " scenarios failed:\n"
              + String.join("\n", failures));
    }
  }

  private static <T> void runChunk(
      List<T> chunk, java.util.function.BiConsumer<Rig, T> body, List<String> failures) {
    try (Rig rig = Rig.open(client, RETRIES)) {
      for (T scenario : chunk) {
        try {
          body.accept(rig, scenario);
        } catch (AssertionError | RuntimeException e) {
          failures.add(scenario + " " + faults.injected() + ": " + e.getMessage());
        } finally {
          faults.disarm();
        }
      }
    }
  }

  private void run(Rig rig, Scenario scenario) {
    STATS.scenario();
    Tenant tenant = rig.newTenant(null, "Lead Source");
    String ws = tenant.workspaceId();
    String key = tenant.workspaceKey();
    String contactId = null;
    Request base = scenario.request().base();
    String idempotencyKey = scenario.request().keyed() ? "fault-" + UUID.randomUUID() : null;
    if (base != Request.CREATE && base != Request.CREATE_ONLY) {
      Response seeded =
          rig.upsert(
              key,
              Map.of(
                  "phone",
                  "+14155550100",
                  "email",
                  "old@example.com",
                  "firstName",
                  "Old",
                  "tags",
                  List.of("seed")));
      assertEquals(201, seeded.status(), seeded.toString());
      contactId = seeded.json().get("id").asText();
      STATS.requests(1);
    }

    faults.arm(scenario.rules());
    Response response = send(rig, key, base, contactId, idempotencyKey);
    STATS.requests(1);
    STATS.faults(faults.injected().size());
    faults.disarm();

    Set<Integer> success = successStatuses(base);
    if (response.status() == 503) {
      ProblemChecks.assertProblem(response);
    } else {
      assertTrue(
          success.contains(response.status()), "expected " + success + " or 503, got " + response);
    }
    if (response.status() != 503 && response.status() != 204) {
      contactId = response.json().get("id").asText();
    }
    assertAllOrNothing(rig, key, base, contactId, response.status());
    rig.assertInvariants(ws, STATS);

    // A patch names the seeded version in If-Match: once applied, its repeat is 412.
    boolean patchApplied =
        base == Request.PATCH
            && rig.call("GET", "/v1/contacts/" + contactId, key, null)
                .json()
                .get("firstName")
                .asText()
                .equals("Updated");

    // Faults gone: the same request goes through and leaves the table consistent.
    Response again = send(rig, key, base, contactId, idempotencyKey);
    STATS.requests(1);
    if (idempotencyKey != null) {
      if (response.status() == 503) {
        // Applied or not, the retry with the key answers what the request does: never a 200 for
        // the contact its lost create made, nor a 404 for the contact its lost delete deleted.
        assertTrue(success.contains(again.status()), "expected " + success + ", got " + again);
      } else {
        assertEquals(response.status(), again.status(), again.toString());
        assertEquals(response.body(), again.body());
        assertEquals("true", again.header("Idempotent-Replayed"), again.headers().toString());
      }
    } else if (base == Request.DELETE) {
      Set<Integer> allowed = response.status() == 503 ? Set.of(204, 404) : Set.of(404);
      assertTrue(allowed.contains(again.status()), again.toString());
    } else if (base == Request.PATCH) {
      assertEquals(patchApplied ? 412 : 200, again.status(), again.toString());
    } else if (base == Request.CREATE_ONLY) {
      // A create that answered 503 may have been applied: then the repeat names it, like a 201's.
      if (again.status() == 409) {
        assertEquals("phone", again.json().get("conflicts").get(0).get("field").asText());
        if (contactId != null) {
          assertEquals(
              contactId,
              again.json().get("conflicts").get(0).get("contactId").asText(),
              again.toString());
        }
      } else {
        assertTrue(response.status() == 503 && again.status() == 201, again.toString());
      }
    } else {
      assertTrue(again.status() == 200 || again.status() == 201, again.toString());
    }
    rig.assertInvariants(ws, STATS);
  }

  private static Set<Integer> successStatuses(Request request) {
    return switch (request) {
      // Also when the create was applied but its response lost: the retry finds it and says 201.
      case CREATE, CREATE_ONLY -> Set.of(201);
      case UPDATE, MOVE_EMAIL, PATCH, PATCH_CLEAR_EMAIL -> Set.of(200);
      case DELETE -> Set.of(204);
      case KEYED_CREATE, KEYED_CREATE_ONLY, KEYED_UPDATE, KEYED_PATCH, KEYED_DELETE ->
          successStatuses(request.base());
    };
  }

  /** The request, with {@code idempotencyKey} as its Idempotency-Key when not null. */
  private static Response send(
      Rig rig, String key, Request request, String contactId, String idempotencyKey) {
    return switch (request) {
      case CREATE ->
          IdempotencyIT.send(
              rig,
              "POST",
              "/v1/contacts/upsert",
              key,
              idempotencyKey,
              Map.of(
                  "phone",
                  "+14155550199",
                  "email",
                  "new@example.com",
                  "firstName",
                  "New",
                  "tags",
                  List.of("t1", "t2"),
                  "customFields",
                  Map.of("Lead Source", "Web")));
      case CREATE_ONLY ->
          IdempotencyIT.send(
              rig,
              "POST",
              "/v1/contacts",
              key,
              idempotencyKey,
              Map.of(
                  "phone",
                  "+14155550199",
                  "email",
                  "new@example.com",
                  "firstName",
                  "New",
                  "tags",
                  List.of("t1", "t2"),
                  "customFields",
                  Map.of("Lead Source", "Web")));
      case UPDATE ->
          IdempotencyIT.send(
              rig,
              "POST",
              "/v1/contacts/upsert",
              key,
              idempotencyKey,
              Map.of(
                  "phone",
                  "+14155550100",
                  "firstName",
                  "Updated",
                  "tags",
                  List.of("t3"),
                  "customFields",
                  Map.of("Lead Source", "Ads")));
      case MOVE_EMAIL ->
          IdempotencyIT.send(
              rig,
              "POST",
              "/v1/contacts/upsert",
              key,
              idempotencyKey,
              Map.of("phone", "+14155550100", "email", "moved@example.com"));
      case PATCH ->
          rig.call(
              "PATCH",
              "/v1/contacts/" + contactId,
              patchHeaders(key, "\"0\"", idempotencyKey),
              TestApi.json(
                      Map.of(
                          "firstName",
                          "Updated",
                          "removeTags",
                          List.of("seed"),
                          "customFields",
                          Map.of("Lead Source", "Ads")))
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      case PATCH_CLEAR_EMAIL ->
          rig.call(
              "PATCH",
              "/v1/contacts/" + contactId,
              patchHeaders(key, null, idempotencyKey),
              "{\"email\":null}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      case DELETE ->
          IdempotencyIT.send(rig, "DELETE", "/v1/contacts/" + contactId, key, idempotencyKey, null);
      case KEYED_CREATE, KEYED_CREATE_ONLY, KEYED_UPDATE, KEYED_PATCH, KEYED_DELETE ->
          throw new IllegalArgumentException("send the unkeyed request with its key: " + request);
    };
  }

  private static Map<String, List<String>> patchHeaders(
      String key, String ifMatch, String idempotencyKey) {
    Map<String, List<String>> headers = TestApi.headers(key, false);
    headers.put("Content-Type", List.of("application/merge-patch+json"));
    if (ifMatch != null) {
      headers.put("If-Match", List.of(ifMatch));
    }
    if (idempotencyKey != null) {
      headers.put("Idempotency-Key", List.of(idempotencyKey));
    }
    return headers;
  }

  /** After the request the contact is wholly before or wholly after it; after, if it succeeded. */
  private static void assertAllOrNothing(
      Rig rig, String key, Request request, String contactId, int status) {
    boolean succeeded = status != 503;
    if (contactId == null) {
      // A create that answered 503: either nothing exists or the whole contact does.
      Response byPhone = rig.upsert(key, Map.of("phone", "+14155550199", "preserveExisting", true));
      STATS.requests(1);
      if (byPhone.status() == 200) {
        assertCreated(byPhone.json());
      } else {
        assertEquals(201, byPhone.status(), byPhone.toString());
        // Nothing was there; what this probe made is a contact with the phone only.
        assertEquals("[]", byPhone.json().get("tags").toString());
        rig.call("DELETE", "/v1/contacts/" + byPhone.json().get("id").asText(), key, null);
        STATS.requests(1);
      }
      return;
    }
    Response get = rig.call("GET", "/v1/contacts/" + contactId, key, null);
    STATS.requests(1);
    switch (request) {
      case CREATE, CREATE_ONLY -> {
        assertEquals(200, get.status(), get.toString());
        assertCreated(get.json());
      }
      case UPDATE -> {
        JsonNode c = get.json();
        boolean applied = c.get("firstName").asText().equals("Updated");
        assertTrue(applied || !succeeded, c.toString());
        assertEquals(
            applied ? "[\"seed\",\"t3\"]" : "[\"seed\"]", c.get("tags").toString(), c.toString());
        assertEquals(
            applied ? "{\"Lead Source\":\"Ads\"}" : "{}",
            c.get("customFields").toString(),
            c.toString());
      }
      case MOVE_EMAIL -> {
        String email = get.json().get("email").asText();
        assertTrue(
            email.equals("moved@example.com") || (!succeeded && email.equals("old@example.com")),
            email);
        // The released email is free exactly when the move applied.
        Response old =
            rig.upsert(key, Map.of("email", "old@example.com", "preserveExisting", true));
        STATS.requests(1);
        if (email.equals("moved@example.com")) {
          assertEquals(201, old.status(), old.toString());
          rig.call("DELETE", "/v1/contacts/" + old.json().get("id").asText(), key, null);
          STATS.requests(1);
        } else {
          assertEquals(contactId, old.json().get("id").asText(), old.toString());
        }
      }
      case PATCH -> {
        JsonNode c = get.json();
        boolean applied = c.get("firstName").asText().equals("Updated");
        assertTrue(applied || !succeeded, c.toString());
        assertEquals(applied ? "[]" : "[\"seed\"]", c.get("tags").toString(), c.toString());
        assertEquals(
            applied ? "{\"Lead Source\":\"Ads\"}" : "{}",
            c.get("customFields").toString(),
            c.toString());
      }
      case PATCH_CLEAR_EMAIL -> {
        boolean cleared = get.json().get("email").isNull();
        assertTrue(cleared || !succeeded, get.toString());
        // The email is free exactly when the clear applied.
        Response old =
            rig.upsert(key, Map.of("email", "old@example.com", "preserveExisting", true));
        STATS.requests(1);
        if (cleared) {
          assertEquals(201, old.status(), old.toString());
          rig.call("DELETE", "/v1/contacts/" + old.json().get("id").asText(), key, null);
          STATS.requests(1);
        } else {
          assertEquals(contactId, old.json().get("id").asText(), old.toString());
        }
      }
      case DELETE ->
          assertTrue(get.status() == 404 || (!succeeded && get.status() == 200), get.toString());
      case KEYED_CREATE, KEYED_CREATE_ONLY, KEYED_UPDATE, KEYED_PATCH, KEYED_DELETE ->
          throw new IllegalArgumentException("check the unkeyed request: " + request);
    }
  }

  private static void assertCreated(JsonNode contact) {
    assertEquals("New", contact.get("firstName").asText(), contact.toString());
    assertEquals("new@example.com", contact.get("email").asText(), contact.toString());
    assertEquals("[\"t1\",\"t2\"]", contact.get("tags").toString(), contact.toString());
    assertEquals(
        "{\"Lead Source\":\"Web\"}", contact.get("customFields").toString(), contact.toString());
  }

  // ---- a keyed batch (SPEC 10 and 11) ----

  private static final String BATCH = "/v1/contacts/batch/upsert";
  private static final String SEEDED_PHONE = "+14155550100";
  private static final String UNCHANGED_PHONE = "+14155550103";
  private static final String NEW_PHONE = "+14155550201";
  private static final String CHAIN_PHONE = "+14155550202";

  /**
   * A batch of every kind of item: two new contacts, a chain (item 2 updates the contact item 1
   * creates), an update of a seeded contact, a no-op on another (its answer kept on its own) and an
   * invalid item (its 400 kept on its own).
   */
  private static Map<String, Object> keyedBatch(String workspaceId) {
    return Map.of(
        "workspaceId",
        workspaceId,
        "items",
        List.of(
            Map.of("phone", NEW_PHONE, "email", "a@example.com", "tags", List.of("t1")),
            Map.of("phone", CHAIN_PHONE, "firstName", "Chain"),
            Map.of("phone", CHAIN_PHONE, "email", "chain@example.com", "tags", List.of("t2")),
            Map.of("phone", SEEDED_PHONE, "firstName", "Updated", "tags", List.of("t3")),
            Map.of("phone", UNCHANGED_PHONE, "lastName", "Kept"),
            Map.of("phone", "not a phone")));
  }

  private static final List<Integer> BATCH_STATUSES = List.of(201, 201, 200, 200, 200, 400);

  /**
   * The DynamoDB calls of {@link #keyedBatch}, each named by an item it touches (a partition key's
   * end) and its position among the calls touching that item: the records' read, the batch's reads
   * of claims and contacts, the batch's claim on its key, the chain's later item reading for
   * itself, each item's transaction (carrying its record), and the records kept on their own.
   */
  enum BatchCall {
    RECORDS_READ("BatchGetItem", "#0", 1),
    CLAIMS_READ("BatchGetItem", NEW_PHONE, 1),
    CONTACTS_READ("BatchGetItem", "$SEEDED", 1),
    // The batch's claim on its key, at the whole-request record, before its first write.
    KEY_CLAIM_WRITE("PutItem", "$KEY", 1),
    CHAIN_ITEM_READ("BatchGetItem", "#2", 2),
    // The only GetItem of the batch: item 2 reads the contact item 1 created (an id not known yet).
    CHAIN_ITEM_CONTACT_READ("GetItem", null, 1),
    // The batch registers its new tags before the items (a tag's partition key ends with it).
    TAGS_WRITE("TransactWriteItems", "#TAG#t1", 1),
    // Each item's transaction, named by the claim or contact it writes (not by its record, which
    // it must carry: a transaction without it still meets its fault).
    NEW_ITEM_WRITE("TransactWriteItems", NEW_PHONE, 1),
    CHAIN_HEAD_WRITE("TransactWriteItems", CHAIN_PHONE, 1),
    CHAIN_ITEM_WRITE("TransactWriteItems", "chain@example.com", 1),
    UPDATE_ITEM_WRITE("TransactWriteItems", "$SEEDED", 1),
    NO_OP_RECORD_WRITE("PutItem", "#4", 1),
    INVALID_RECORD_WRITE("PutItem", "#5", 1);

    final String operation;
    final String target;
    final int call;

    BatchCall(String operation, String target, int call) {
      this.operation = operation;
      this.target = target;
      this.call = call;
    }
  }

  /**
   * How the call fails during the batch's first send: before it is sent, on every try of it (the
   * item, or the batch for a batch read, answers 503 and nothing of it is applied); applied with
   * its response lost once (the function's retry learns it from the record); applied with its
   * response lost and every later try failing (the item answers 503 though it was applied).
   */
  enum BatchFault {
    FAILED_BEFORE_APPLIED,
    APPLIED_RESPONSE_LOST,
    APPLIED_THEN_UNAVAILABLE
  }

  record BatchScenario(BatchCall call, BatchFault fault, Kind kind) {}

  @Test
  void keyedBatch_faultAtEachCall_retriedWithItsKey_appliesEveryItemOnce_andThenReplays()
      throws Exception {
    List<BatchScenario> scenarios = new ArrayList<>();
    int rotation = 0;
    for (BatchCall call : BatchCall.values()) {
      for (BatchFault fault : BatchFault.values()) {
        List<Kind> kinds =
            applicable(call.operation).stream()
                .filter(k -> k != Kind.THROTTLING && k != Kind.PROVISIONED_THROUGHPUT)
                .toList();
        int variants = ReliabilityStats.scale() >= 5 ? kinds.size() : 1;
        for (int v = 0; v < variants; v++) {
          scenarios.add(new BatchScenario(call, fault, kinds.get(rotation++ % kinds.size())));
        }
      }
    }
    runAll(scenarios, this::runBatch);
  }

  private void runBatch(Rig rig, BatchScenario scenario) {
    BATCH_STATS.scenario();
    // The same batch without faults, on a workspace of its own: what the faulted one must end as.
    Tenant clean = rig.newTenant(null);
    String[] cleanSeeded = seedForBatch(rig, clean.workspaceKey());
    Response expected =
        IdempotencyIT.send(
            rig,
            "POST",
            BATCH,
            clean.workspaceKey(),
            "clean-" + UUID.randomUUID(),
            keyedBatch(clean.workspaceId()));
    BATCH_STATS.requests(3);
    assertEquals(207, expected.status(), expected.toString());
    assertEquals(BATCH_STATUSES, statuses(expected));

    Tenant tenant = rig.newTenant(null);
    String key = tenant.workspaceKey();
    String[] seeded = seedForBatch(rig, key);
    BATCH_STATS.requests(2);
    String idempotencyKey = "batch-fault-" + UUID.randomUUID();
    Map<String, Object> batch = keyedBatch(tenant.workspaceId());

    faults.arm(rulesFor(scenario, seeded, idempotencyKey));
    Response response = IdempotencyIT.send(rig, "POST", BATCH, key, idempotencyKey, batch);
    BATCH_STATS.requests(1);
    List<String> injected = faults.injected();
    if (scenario.fault() != BatchFault.APPLIED_RESPONSE_LOST) {
      faults.disarm();
    }
    assertTrue(!injected.isEmpty(), "the call was never made: no fault injected");

    // The client sends the batch again, with its key, until no item answers 503.
    Map<Integer, JsonNode> answered = new java.util.HashMap<>();
    int sends = 1;
    while (true) {
      List<Integer> unavailable = checkBatchAnswer(response, answered);
      if (unavailable.isEmpty()) {
        break;
      }
      assertTrue(sends < 6, "still 503 after " + sends + " sends: " + response);
      faults.resetWrites();
      response = IdempotencyIT.send(rig, "POST", BATCH, key, idempotencyKey, batch);
      BATCH_STATS.requests(1);
      sends++;
      // Only the items not answered yet run: nothing is written for the others.
      for (String pk : faults.written()) {
        for (int index : answered.keySet()) {
          assertTrue(!pk.endsWith("#" + index), "answered item " + index + " written again: " + pk);
        }
      }
    }
    BATCH_STATS.faults(faults.injected().size());
    faults.disarm();

    assertEquals(BATCH_STATUSES, statuses(response), response.toString());
    assertEquals(expected.json().get("summary"), response.json().get("summary"));
    assertEquals(
        expected.json().get("results").get(5).get("problem"),
        response.json().get("results").get(5).get("problem"));
    // Every item applied once: the contacts are those of the clean run, no more, version included.
    assertEquals(contactsOf(rig, clean, cleanSeeded), contactsOf(rig, tenant, seeded));
    rig.assertInvariants(tenant.workspaceId(), BATCH_STATS);

    // Once more: every item replayed, nothing run, not even a write that its record would cancel.
    faults.arm(List.of());
    Response replay = IdempotencyIT.send(rig, "POST", BATCH, key, idempotencyKey, batch);
    BATCH_STATS.requests(1);
    assertEquals(List.of(), faults.written(), "a replay writes nothing");
    assertEquals(Map.of("BatchGetItem", 1), faults.calls(), "a replay reads its records alone");
    assertEquals(response.status(), replay.status(), replay.toString());
    assertEquals(response.json(), replay.json());
    assertEquals("true", replay.header("Idempotent-Replayed"), replay.headers().toString());
    assertEquals(contactsOf(rig, clean, cleanSeeded), contactsOf(rig, tenant, seeded));
  }

  /** Seeds the contact item 3 updates and the one item 4 leaves as it is; their ids. */
  private static String[] seedForBatch(Rig rig, String key) {
    Response updated =
        rig.upsert(
            key,
            Map.of("phone", SEEDED_PHONE, "email", "old@example.com", "tags", List.of("seed")));
    assertEquals(201, updated.status(), updated.toString());
    Response unchanged = rig.upsert(key, Map.of("phone", UNCHANGED_PHONE, "lastName", "Kept"));
    assertEquals(201, unchanged.status(), unchanged.toString());
    return new String[] {updated.json().get("id").asText(), unchanged.json().get("id").asText()};
  }

  /**
   * The scenario's fault at its call; targets that name ids are resolved for this tenant and key
   * (the whole-request record's partition key ends with the SHA-256 of the key's value).
   */
  private static List<Rule> rulesFor(
      BatchScenario scenario, String[] seeded, String idempotencyKey) {
    BatchCall call = scenario.call();
    String operation = call.operation;
    String target =
        "$SEEDED".equals(call.target)
            ? "CONTACT#" + seeded[0]
            : "$KEY".equals(call.target) ? "#" + sha256Hex(idempotencyKey) : call.target;
    Set<Integer> later = new HashSet<>();
    for (int n = call.call + 1; n <= call.call + 40; n++) {
      later.add(n);
    }
    return switch (scenario.fault()) {
      case FAILED_BEFORE_APPLIED ->
          List.of(new Rule(operation, Phase.BEFORE_SEND, scenario.kind(), Set.of(), target));
      case APPLIED_RESPONSE_LOST ->
          List.of(
              new Rule(operation, Phase.RESPONSE_LOST, scenario.kind(), Set.of(call.call), target));
      case APPLIED_THEN_UNAVAILABLE ->
          List.of(
              new Rule(operation, Phase.RESPONSE_LOST, scenario.kind(), Set.of(call.call), target),
              new Rule(operation, Phase.BEFORE_SEND, Kind.INTERNAL_ERROR, later, target));
    };
  }

  private static String sha256Hex(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Checks one answer of the batch: 200/207 with one result per item, or a 503 of the whole batch;
   * an item answered once keeps its answer in every later send (its record replayed). The items
   * that answered 503, to send again.
   */
  private static List<Integer> checkBatchAnswer(
      Response response, Map<Integer, JsonNode> answered) {
    if (response.status() == 503) {
      ProblemChecks.assertProblem(response);
      return List.of(-1);
    }
    assertTrue(
        response.status() == 200 || response.status() == 207, "expected 200/207: " + response);
    JsonNode results = response.json().get("results");
    assertEquals(BATCH_STATUSES.size(), results.size(), response.toString());
    List<Integer> unavailable = new ArrayList<>();
    for (JsonNode result : results) {
      int index = result.get("index").asInt();
      int status = result.get("status").asInt();
      if (status == 503) {
        assertTrue(answered.get(index) == null, "an answered item ran again: " + response);
        assertEquals("1", response.header("Retry-After"), response.headers().toString());
        unavailable.add(index);
        continue;
      }
      JsonNode earlier = answered.putIfAbsent(index, result);
      if (earlier != null) {
        assertEquals(earlier, result, "item " + index + " answered anew instead of replayed");
      }
    }
    if (!unavailable.isEmpty()) {
      assertEquals(207, response.status(), response.toString());
    }
    return unavailable;
  }

  private static List<Integer> statuses(Response batch) {
    List<Integer> statuses = new ArrayList<>();
    batch.json().get("results").forEach(r -> statuses.add(r.get("status").asInt()));
    return statuses;
  }

  /**
   * The workspace's contacts as the API shows them, less what differs between two workspaces (ids,
   * timestamps), by phone; the count of contact items is checked against them.
   */
  private static Map<String, JsonNode> contactsOf(Rig rig, Tenant tenant, String[] seeded) {
    List<String> ids = new ArrayList<>();
    for (Map<String, AttributeValue> item : rig.scan()) {
      var workspace = item.get("workspaceId");
      if (item.get("sk").s().equals("CONTACT")
          && workspace != null
          && workspace.s().equals(tenant.workspaceId())) {
        ids.add(item.get("pk").s().substring("CONTACT#".length()));
      }
    }
    assertTrue(ids.contains(seeded[0]) && ids.contains(seeded[1]), ids.toString());
    Map<String, JsonNode> byPhone = new java.util.TreeMap<>();
    for (String id : ids) {
      Response get = rig.call("GET", "/v1/contacts/" + id, tenant.workspaceKey(), null);
      BATCH_STATS.requests(1);
      assertEquals(200, get.status(), get.toString());
      ObjectNode contact = get.json().deepCopy();
      contact.remove(List.of("id", "workspaceId", "createdAt", "updatedAt"));
      contact.put("etag", get.header("ETag"));
      JsonNode previous = byPhone.put(contact.get("phone").asText(), contact);
      assertTrue(previous == null, "two contacts with one phone: " + contact);
    }
    return byPhone;
  }

  /**
   * The list route's listings (SPEC 9) and the DynamoDB operations each makes: the workspace read
   * (GetItem), then for a walk the index Query and the consistent BatchGetItem of the page, for a
   * phone or email listing the claim's GetItem and the holder's.
   */
  enum Listing {
    WALK(List.of("GetItem", "Query", "BatchGetItem")),
    TAG_WALK(List.of("GetItem", "Query", "BatchGetItem")),
    UPDATED_AFTER_WALK(List.of("GetItem", "Query", "BatchGetItem")),
    PHONE(List.of("GetItem")),
    EMAIL(List.of("GetItem"));

    final List<String> operations;

    Listing(List<String> operations) {
      this.operations = operations;
    }
  }

  record ListScenario(Listing listing, List<Rule> rules) {}

  // A phone or email listing makes three GetItems (workspace, claim, holder): fail each in turn.
  private static final List<Set<Integer>> GET_ITEM_CALLS =
      List.of(Set.of(1), Set.of(2), Set.of(3), Set.of(2, 3));

  @Test
  void listings_atEveryCallSite_everyPhase_are200WithTheRightPage_or503_andAWalkResumes()
      throws Exception {
    boolean full = ReliabilityStats.scale() >= 5;
    List<ListScenario> scenarios = new ArrayList<>();
    int rotation = 0;
    for (Listing listing : Listing.values()) {
      boolean single = listing == Listing.PHONE || listing == Listing.EMAIL;
      for (String op : listing.operations) {
        List<Kind> kinds = applicable(op);
        for (Phase phase : Phase.values()) {
          List<Set<Integer>> positions = single ? GET_ITEM_CALLS : CALLS;
          if (full) {
            for (Set<Integer> calls : positions) {
              for (Kind kind : kinds) {
                scenarios.add(new ListScenario(listing, List.of(new Rule(op, phase, kind, calls))));
              }
            }
            continue;
          }
          // make test: every call site and phase; for a single listing every one of its reads.
          for (Set<Integer> calls :
              single ? positions : List.of(positions.get(rotation % positions.size()))) {
            Kind kind = kinds.get(rotation++ % kinds.size());
            while (calls.isEmpty()
                && (kind == Kind.THROTTLING || kind == Kind.PROVISIONED_THROUGHPUT)) {
              kind = kinds.get(rotation++ % kinds.size());
            }
            scenarios.add(new ListScenario(listing, List.of(new Rule(op, phase, kind, calls))));
          }
        }
      }
    }
    runAll(scenarios, this::runListing);
  }

  /**
   * A fault at {@code op}: a random phase and applicable kind, on a random set of its first {@code
   * maxCall} calls (one at least).
   */
  private static Rule randomRule(Random random, String op, int maxCall) {
    List<Kind> kinds = applicable(op);
    Set<Integer> calls = new HashSet<>();
    for (int call = 1; call <= maxCall; call++) {
      if (random.nextBoolean()) {
        calls.add(call);
      }
    }
    if (calls.isEmpty()) {
      calls.add(1 + random.nextInt(3));
    }
    return new Rule(
        op, Phase.values()[random.nextInt(3)], kinds.get(random.nextInt(kinds.size())), calls);
  }

  @Test
  void listings_underRandomFaultPlans_overSeveralCallSitesAtOnce() throws Exception {
    Random random = new Random(Long.getLong("reliability.seed", 4242L) + 1);
    List<ListScenario> scenarios = new ArrayList<>();
    for (int i = 0; i < 5 * ReliabilityStats.scale(); i++) {
      Listing listing = Listing.values()[random.nextInt(Listing.values().length)];
      List<Rule> rules = new ArrayList<>();
      for (String op : listing.operations) {
        rules.add(randomRule(random, op, 5));
      }
      scenarios.add(new ListScenario(listing, rules));
    }
    runAll(scenarios, this::runListing);
  }

  /** Consecutive 503s after which a walk stops waiting for a fault on every call to go. */
  private static final int PATIENCE = 4;

  /**
   * Seeds a workspace (contacts tagged and not, one deleted, one updated so it moves to the end)
   * and a sibling workspace of the same account, then lists under the scenario's faults: every
   * answer is 200 with exactly the expected contacts or 503 with Retry-After, and a walk that goes
   * on from the cursor it had after a 503 shows every expected contact once, in order, and nothing
   * else.
   */
  private void runListing(Rig rig, ListScenario scenario) {
    STATS.scenario();
    Tenant tenant = rig.newTenant(null);
    String key = tenant.workspaceKey();
    Tenant sibling = rig.newTenantInAccount(tenant.accountId(), null);
    Response foreign =
        rig.upsert(sibling.workspaceKey(), Map.of("phone", "+14155550300", "tags", List.of("t")));
    assertEquals(201, foreign.status(), foreign.toString());
    Map<String, JsonNode> latest = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 7; i++) {
      Response created =
          rig.upsert(
              key,
              Map.of(
                  "phone",
                  "+1415555020" + i,
                  "email",
                  "c" + i + "@example.com",
                  "tags",
                  i % 2 == 0 ? List.of("t") : List.of()));
      assertEquals(201, created.status(), created.toString());
      latest.put(created.json().get("id").asText(), created.json());
    }
    List<String> seeded = new ArrayList<>(latest.keySet());
    Response deleted = rig.call("DELETE", "/v1/contacts/" + seeded.get(2), key, null);
    assertEquals(204, deleted.status(), deleted.toString());
    latest.remove(seeded.get(2));
    Response moved = rig.upsert(key, Map.of("phone", "+14155550200", "firstName", "Moved"));
    assertEquals(200, moved.status(), moved.toString());
    latest.put(seeded.get(0), moved.json());
    STATS.requests(10);

    List<JsonNode> ordered =
        latest.values().stream()
            .sorted(
                java.util.Comparator.<JsonNode, java.time.Instant>comparing(
                        c -> java.time.Instant.parse(c.get("updatedAt").asText()))
                    .thenComparing(c -> c.get("id").asText()))
            .toList();
    List<String> query = new ArrayList<>(List.of("limit", "2"));
    List<JsonNode> expected;
    switch (scenario.listing()) {
      case WALK -> expected = ordered;
      case TAG_WALK -> {
        query.addAll(List.of("tag", "t"));
        expected =
            ordered.stream().filter(c -> c.get("tags").toString().contains("\"t\"")).toList();
      }
      case UPDATED_AFTER_WALK -> {
        query.addAll(List.of("updatedAfter", ordered.get(1).get("updatedAt").asText()));
        expected = ordered.subList(2, ordered.size());
      }
      case PHONE -> {
        query.addAll(List.of("phone", "+1 415 555 0203"));
        expected = List.of(latest.get(seeded.get(3)));
      }
      case EMAIL -> {
        query.addAll(List.of("email", "C4@Example.COM"));
        expected = List.of(latest.get(seeded.get(4)));
      }
      default -> throw new IllegalStateException();
    }
    List<String> expectedIds = expected.stream().map(c -> c.get("id").asText()).toList();
    rig.settle(); // the writes above are past the listings' settle horizon

    faults.arm(scenario.rules());
    List<String> shown = new ArrayList<>();
    String cursor = null;
    int unavailable = 0;
    int pages = 0;
    do {
      List<String> parameters = new ArrayList<>(query);
      if (cursor != null) {
        parameters.addAll(List.of("cursor", cursor));
      }
      Response page = rig.call("GET", "/v1/contacts" + queryString(parameters), key, null);
      STATS.requests(1);
      if (page.status() == 503) {
        ProblemChecks.assertProblem(page);
        if (++unavailable >= PATIENCE) {
          // A fault on every call: the walk goes on from the same cursor once it is gone.
          faults.disarm();
        }
        continue;
      }
      assertEquals(200, page.status(), "page " + pages + ": " + page);
      unavailable = 0;
      pages++;
      for (JsonNode contact : page.json().get("data")) {
        String id = contact.get("id").asText();
        assertEquals(tenant.workspaceId(), contact.get("workspaceId").asText(), page.toString());
        assertTrue(latest.containsKey(id), "a deleted or unknown contact " + id + ": " + page);
        assertTrue(!shown.contains(id), "shown twice: " + id + " in " + page);
        assertEquals(latest.get(id).get("updatedAt"), contact.get("updatedAt"), page.toString());
        shown.add(id);
      }
      JsonNode next = page.json().get("nextCursor");
      cursor = next.isNull() ? null : next.asText();
      assertTrue(pages < 20, "the walk does not end");
    } while (cursor != null || pages == 0);
    STATS.faults(faults.injected().size());
    faults.disarm();
    assertEquals(expectedIds, shown, "the walk under " + faults.injected());
  }

  private static String queryString(List<String> nameValues) {
    StringBuilder query = new StringBuilder();
    for (int i = 0; i < nameValues.size(); i += 2) {
      query.append(i == 0 ? "?" : "&");
      query.append(java.net.URLEncoder.encode(nameValues.get(i), StandardCharsets.UTF_8));
      query
          .append('=')
          .append(java.net.URLEncoder.encode(nameValues.get(i + 1), StandardCharsets.UTF_8));
    }
    return query.toString();
  }
}
