package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * SPEC 11: "The same key with another method, path or body: 422 idempotency-key-reused, nothing
 * written" also when the key first answered a batch (found by ReliabilityModelIT, seed 15). A keyed
 * batch keeps one record per item ({@code IDEMPOTENCY#<keyId>#<hash>#<index>}) and claims {@code
 * IDEMPOTENCY#<keyId>#<hash>}, the record every single-contact route reads, before any item writes.
 */
class BatchKeyReusedIT {

  private static final int ROUNDS = 40;
  private static final String BATCH = "/v1/contacts/batch/upsert";
  private static final Map<String, Object> BATCH_BODY =
      Map.of("items", List.of(Map.of("phone", "+14155550150")));

  private Rig rig;
  private Tenant tenant;

  @BeforeEach
  void openRig() {
    rig = Rig.open();
    tenant = rig.newTenant("America/New_York");
  }

  @AfterEach
  void closeRig() {
    rig.close();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"upsert", "create", "patch", "delete"})
  void aKeyThatAnsweredABatch_is422_onASingleContactRoute_writesNothing_andTheBatchStillReplays(
      String route) {
    Response existing = rig.upsert(tenant.workspaceKey(), Map.of("phone", "+14155550159"));
    assertEquals(201, existing.status(), existing.toString());
    String id = existing.json().get("id").asText();
    String key = "batch-key-" + UUID.randomUUID();
    Response batch = send("POST", BATCH, key, BATCH_BODY);
    assertEquals(200, batch.status(), batch.toString());
    var before = new HashSet<>(rig.scan());

    Response single =
        switch (route) {
          case "upsert" ->
              send("POST", "/v1/contacts/upsert", key, Map.of("phone", "+14155550151"));
          case "create" -> send("POST", "/v1/contacts", key, Map.of("phone", "+14155550152"));
          case "patch" -> send("PATCH", "/v1/contacts/" + id, key, Map.of("firstName", "Ann"));
          default -> send("DELETE", "/v1/contacts/" + id, key, null);
        };

    assertEquals(422, single.status(), single.toString());
    assertEquals(
        "https://api.voicecrm.example/errors/idempotency-key-reused",
        single.json().get("type").asText(),
        single.toString());
    assertEquals(before, new HashSet<>(rig.scan()), "nothing written");
    Response again = send("POST", BATCH, key, BATCH_BODY);
    assertEquals(200, again.status(), again.toString());
    assertEquals("true", again.header("Idempotent-Replayed"), again.toString());
    assertEquals(batch.json(), again.json());
    assertEquals(before, new HashSet<>(rig.scan()), "a replay writes nothing");
  }

  @Test
  void aKeyThatAnsweredAnUpsert_is422_onABatch_andWritesNothing() {
    String key = "upsert-key-" + UUID.randomUUID();
    Response upsert = send("POST", "/v1/contacts/upsert", key, Map.of("phone", "+14155550153"));
    assertEquals(201, upsert.status(), upsert.toString());
    var before = new HashSet<>(rig.scan());

    Response batch = send("POST", BATCH, key, BATCH_BODY);

    assertEquals(422, batch.status(), batch.toString());
    assertNull(batch.header("Idempotent-Replayed"));
    assertEquals(before, new HashSet<>(rig.scan()), "nothing written");
  }

  @Test
  void anEnvelopeProblemKeptForABatch_isReplayed_evenOnceTheProblemIsGone() {
    String workspaceId = UUID.randomUUID().toString();
    String key = "envelope-key-" + UUID.randomUUID();
    Map<String, Object> body =
        Map.of("workspaceId", workspaceId, "items", List.of(Map.of("phone", "+14155550154")));
    Response missing = send(tenant.accountKey(), "POST", BATCH, key, body);
    assertEquals(404, missing.status(), missing.toString());
    rig.newTenantWithIds(tenant.accountId(), workspaceId, "UTC");
    var before = new HashSet<>(rig.scan());

    Response again = send(tenant.accountKey(), "POST", BATCH, key, body);

    assertEquals(404, again.status(), again.toString());
    assertEquals("true", again.header("Idempotent-Replayed"), again.toString());
    assertEquals(before, new HashSet<>(rig.scan()), "the kept 404 is the answer: nothing written");
  }

  /**
   * A keyed batch and a keyed upsert with the same key value, released together, round after round
   * with fresh keys: exactly one has its effect, the other is 422 (or 409 with {@code Retry-After}
   * while the first runs), nothing of it written, and the table keeps its invariants. Besides free
   * races, rounds (picked by a fixed seed) force each side of the window that matters: the upsert's
   * write held until the batch's claim is in (its read saw a free key), or the batch's claim held
   * until the upsert's write is in (its read saw a free key too).
   */
  @Test
  void aKeyedBatchAndAKeyedUpsertRacingOnOneKey_oneHasItsEffect_theOtherIs422() throws Exception {
    Interleaving interleaving = new Interleaving();
    try (Rig raced = Rig.open(Rig.clientWith(interleaving), RetryPolicy.DEFAULT)) {
      Tenant t = raced.newTenant("America/New_York");
      Random random = new Random(20261201L);
      Map<String, Integer> winners = new TreeMap<>();
      for (int round = 0; round < ROUNDS; round++) {
        Interleaving.Order order =
            Interleaving.Order.values()[random.nextInt(Interleaving.Order.values().length)];
        interleaving.start(order);
        String key = "race-" + round + "-" + UUID.randomUUID();
        List<String> batchPhones = new ArrayList<>();
        int batchItems = 1 + random.nextInt(3);
        for (int i = 0; i < batchItems; i++) {
          batchPhones.add(String.format("+1415555%04d", 2000 + 4 * round + i));
        }
        String upsertPhone = String.format("+1415555%04d", 2000 + 4 * round + 3);
        // A tag new to the workspace: the batch registers it before its items, after its claim.
        String tag = "racetag" + round;
        Map<String, Object> batchBody =
            Map.of(
                "items",
                batchPhones.stream().map(p -> Map.of("phone", p, "tags", List.of(tag))).toList());
        Callable<Response> batch =
            () -> IdempotencyIT.send(raced, "POST", BATCH, t.workspaceKey(), key, batchBody);
        Callable<Response> upsert =
            () ->
                IdempotencyIT.send(
                    raced,
                    "POST",
                    "/v1/contacts/upsert",
                    t.workspaceKey(),
                    key,
                    Map.of("phone", upsertPhone));
        List<Response> responses = ConcurrencyIT.race(List.of(batch, upsert));
        Response batchAnswer = responses.get(0);
        Response upsertAnswer = responses.get(1);
        String context =
            "round " + round + " " + order + ": batch " + batchAnswer + ", upsert " + upsertAnswer;

        Set<String> phones = contactPhones(raced);
        boolean tagWritten =
            raced.scan().stream().anyMatch(item -> item.get("pk").s().endsWith("#TAG#" + tag));
        if (batchAnswer.status() == 200) {
          assertRefused(upsertAnswer, context);
          assertTrue(phones.containsAll(batchPhones), context);
          assertTrue(tagWritten, context);
          assertFalse(phones.contains(upsertPhone), "the upsert wrote nothing: " + context);
          winners.merge(order + " batch", 1, Integer::sum);
        } else {
          assertEquals(201, upsertAnswer.status(), context);
          assertRefused(batchAnswer, context);
          assertTrue(phones.contains(upsertPhone), context);
          assertTrue(
              batchPhones.stream().noneMatch(phones::contains),
              "the batch wrote nothing: " + context);
          assertFalse(tagWritten, "the batch registered no tag: " + context);
          winners.merge(order + " upsert", 1, Integer::sum);
        }
        if (order == Interleaving.Order.CLAIM_FIRST) {
          assertEquals(200, batchAnswer.status(), "the claim went in first: " + context);
        } else if (order == Interleaving.Order.UPSERT_FIRST) {
          assertEquals(201, upsertAnswer.status(), "the upsert went in first: " + context);
        }
      }
      assertEquals(
          List.of(), TableInvariants.violations(raced.plain, raced.table, t.workspaceId()));
      System.out.println("BatchKeyReusedIT race over " + ROUNDS + " rounds: " + winners);
    }
  }

  /**
   * Holds one side of the race at its write until the other side's write is in: the upsert's {@code
   * TransactWriteItems} until the batch's claim ({@code PutItem} of a record without status), or
   * the claim until the upsert's transaction. Latches, not sleeps, order them.
   */
  private static final class Interleaving implements ExecutionInterceptor {
    enum Order {
      FREE,
      CLAIM_FIRST,
      UPSERT_FIRST
    }

    private volatile Order order = Order.FREE;
    private volatile CountDownLatch claimIn = new CountDownLatch(1);
    private volatile CountDownLatch upsertIn = new CountDownLatch(1);

    void start(Order order) {
      this.claimIn = new CountDownLatch(1);
      this.upsertIn = new CountDownLatch(1);
      this.order = order;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      if (order == Order.CLAIM_FIRST && isUpsertWrite(context.request())) {
        await(claimIn);
      } else if (order == Order.UPSERT_FIRST && isClaim(context.request())) {
        await(upsertIn);
      }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
      done(context.request());
    }

    @Override
    public void onExecutionFailure(
        Context.FailedExecution context, ExecutionAttributes attributes) {
      done(context.request());
    }

    private void done(SdkRequest request) {
      if (isClaim(request)) {
        claimIn.countDown();
      } else if (isUpsertWrite(request)) {
        upsertIn.countDown();
      }
    }

    private static boolean isClaim(SdkRequest request) {
      return request instanceof PutItemRequest put
          && put.item().get("pk").s().startsWith("IDEMPOTENCY#")
          && !put.item().containsKey("status");
    }

    // The upsert's create carries its whole-request record; a batch item's carries its item's.
    private static boolean isUpsertWrite(SdkRequest request) {
      return request instanceof TransactWriteItemsRequest write
          && write.transactItems().stream()
              .anyMatch(
                  item ->
                      item.put() != null
                          && item.put().item().get("pk").s().startsWith("IDEMPOTENCY#")
                          && item.put().item().get("pk").s().chars().filter(c -> c == '#').count()
                              == 2);
    }

    private static void await(CountDownLatch latch) {
      try {
        if (!latch.await(20, TimeUnit.SECONDS)) {
          throw new AssertionError("the other side of the race never wrote");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static void assertRefused(Response loser, String context) {
    if (loser.status() == 409) {
      assertNotNull(loser.header("Retry-After"), "a 409 while the first runs: " + context);
    } else {
      assertEquals(422, loser.status(), context);
    }
  }

  private static Set<String> contactPhones(Rig rig) {
    Set<String> phones = new HashSet<>();
    for (Map<String, AttributeValue> item : rig.scan()) {
      if (item.get("sk").s().equals("CONTACT") && item.containsKey("phone")) {
        phones.add(item.get("phone").s());
      }
    }
    return phones;
  }

  private Response send(String method, String path, String key, Object body) {
    return send(tenant.workspaceKey(), method, path, key, body);
  }

  private Response send(String apiKey, String method, String path, String key, Object body) {
    return IdempotencyIT.send(rig, method, path, apiKey, key, body);
  }
}
