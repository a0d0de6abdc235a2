package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import com.voicecrm.contacts.testing.ManualClock;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * The list walk's race of issue 12, reproduced through the real handler against moto: writer A
 * stamps its contact, then its commit is held (in a client wrapper, between the handler and the
 * SDK); writer B stamps later and commits first; the walk reads as far as it is let; A commits,
 * behind B. Without the settle horizon the walk has already passed B and ends without A. The
 * handler runs on a clock that moves only when the test says, so the stamps, A's commit window and
 * the horizon are all decided by the test, not by timing.
 */
class ListRaceIT {

  private static final String HELD = "Held";

  @Test
  void aWriteCommittingBehindALaterOne_isShown_byTheUnfilteredAndTheTagWalk() throws Exception {
    ManualClock clock = new ManualClock(Instant.now());
    HeldWrite held = new HeldWrite();
    DynamoDbClient client = held.around(TestApi.api().dynamo());
    ExecutorService writers = Executors.newSingleThreadExecutor();
    try (Rig rig = Rig.open(client, RetryPolicy.DEFAULT, clock)) {
      Tenant tenant = rig.newTenant(null);
      String first = upsert(rig, tenant, "+14155556001", "Old").json().get("id").asText();
      clock.advance(Duration.ofMillis(1));
      String second = upsert(rig, tenant, "+14155556002", "Old").json().get("id").asText();
      clock.advance(Duration.ofSeconds(10));

      // Writer A stamps now; its commit waits for the test.
      Future<Response> writerA = writers.submit(() -> upsert(rig, tenant, "+14155556003", HELD));
      assertTrue(held.arrived.await(60, TimeUnit.SECONDS), "A reached its commit");
      // Writer B stamps a millisecond later and commits first.
      clock.advance(Duration.ofMillis(1));
      String b = upsert(rig, tenant, "+14155556004", "B").json().get("id").asText();

      // Both walks read as far as they are let before A commits.
      Walk all = new Walk(rig, tenant, "limit", "2");
      Walk tagged = new Walk(rig, tenant, "tag", "race", "limit", "2");
      all.readWhileSettled();
      tagged.readWhileSettled();
      // A commits, within its window (the clock has not moved), behind B's stamp.
      held.release.countDown();
      Response a = writerA.get(60, TimeUnit.SECONDS);
      assertEquals(201, a.status(), a.toString());
      String aId = a.json().get("id").asText();
      // Later, past the settle horizon, each walk goes on from where it was.
      clock.advance(ServiceContract.SETTLE.plusMillis(1));
      all.finish();
      tagged.finish();

      assertEquals(List.of(first, second), all.seen.subList(0, 2));
      for (Walk walk : List.of(all, tagged)) {
        assertTrue(walk.seen.contains(aId), "the walk missed A, committed behind B: " + walk.seen);
        assertEquals(4, walk.seen.size(), walk.seen.toString());
        assertEquals(
            List.of(aId, b), walk.seen.subList(2, 4), "A, stamped first, is listed before B");
      }
    } finally {
      held.release.countDown();
      writers.shutdownNow();
    }
  }

  /**
   * The other half of the argument: a write's call that outlives its commit window is abandoned by
   * the SDK (the store's apiCallTimeout ends with the window), and the write is decided again with
   * a fresh stamp, never sent late with the old one. The first contact write is stalled inside the
   * SDK's pipeline, before it is sent, until the SDK gives up on it.
   */
  @Test
  void aWriteCallOutlivingItsCommitWindow_isAbandoned_andDecidedAgainWithAFreshStamp() {
    StallFirstContactWrite stall = new StallFirstContactWrite();
    try (Rig rig = Rig.open(Rig.clientWith(stall), RetryPolicy.DEFAULT)) {
      Tenant tenant = rig.newTenant(null);

      Response created = upsert(rig, tenant, "+14155556101", "Slow");

      assertTrue(stall.abandonedBySdk, "the SDK gave up on the stalled call");
      // At the window's end (500 ms after the stamp), not at the request's deadline (~10 s); the
      // bound is loose so that a busy machine's late timer does not matter.
      assertTrue(stall.stalledMillis < 5_000, "stalled for " + stall.stalledMillis + " ms");
      Instant stalledStamp = Instant.parse(stall.stamp);
      Instant written = Instant.parse(created.json().get("updatedAt").asText());
      assertTrue(
          written.isAfter(stalledStamp),
          "decided again with a fresh stamp: " + written + " after " + stalledStamp);
      assertTrue(
          !written.isBefore(stalledStamp.plus(ServiceContract.STAMP_TO_COMMIT).minusMillis(100)),
          "decided again only once the window (less the shortest call) had passed: " + written);
      Response listed =
          rig.call("GET", "/v1/contacts?phone=%2B14155556101", tenant.workspaceKey(), null);
      assertEquals(1, listed.json().get("data").size(), listed.toString());
    }
  }

  private static Response upsert(Rig rig, Tenant tenant, String phone, String firstName) {
    Response response =
        rig.upsert(
            tenant.workspaceKey(),
            Map.of("phone", phone, "firstName", firstName, "tags", List.of("race")));
    assertTrue(response.status() == 201, response.toString());
    return response;
  }

  /** A walk by the workspace key, page by page, following nextCursor. */
  private static final class Walk {
    final Rig rig;
    final Tenant tenant;
    final String[] parameters;
    final List<String> seen = new ArrayList<>();
    String cursor;
    boolean ended;

    Walk(Rig rig, Tenant tenant, String... parameters) {
      this.rig = rig;
      this.tenant = tenant;
      this.parameters = parameters;
    }

    /** Pages until the walk ends or a short page says the rest is settling. */
    void readWhileSettled() {
      boolean full = true;
      while (!ended && full) {
        full = page();
      }
    }

    void finish() {
      while (!ended) {
        page();
      }
    }

    /** One page; whether it was full. */
    private boolean page() {
      StringBuilder query = new StringBuilder();
      for (int i = 0; i < parameters.length; i += 2) {
        query.append(query.length() == 0 ? "?" : "&");
        query.append(parameters[i]).append('=').append(parameters[i + 1]);
      }
      if (cursor != null) {
        query.append("&cursor=").append(cursor);
      }
      Response page = rig.call("GET", "/v1/contacts" + query, tenant.workspaceKey(), null);
      assertEquals(200, page.status(), page.toString());
      JsonNode data = page.json().get("data");
      data.forEach(c -> seen.add(c.get("id").asText()));
      JsonNode next = page.json().get("nextCursor");
      assertNotNull(next, page.toString());
      ended = next.isNull();
      cursor = ended ? null : next.asText();
      assertTrue(seen.size() < 100, "the walk does not end");
      return data.size() == 2;
    }
  }

  /**
   * Stalls the first contact write (a PutItem or transaction putting a contact item) before it is
   * sent, until the SDK interrupts it at the end of its call's time, and remembers its stamp.
   */
  private static final class StallFirstContactWrite implements ExecutionInterceptor {
    private final AtomicBoolean stalled = new AtomicBoolean();
    private final CountDownLatch never = new CountDownLatch(1);
    volatile String stamp;
    volatile boolean abandonedBySdk;
    volatile long stalledMillis;

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      String written = contactStamp(context.request());
      if (written == null || !stalled.compareAndSet(false, true)) {
        return;
      }
      stamp = written;
      long started = System.nanoTime();
      try {
        if (!never.await(30, TimeUnit.SECONDS)) {
          throw new AssertionError("the SDK never gave up on the stalled call");
        }
      } catch (InterruptedException e) {
        abandonedBySdk = true;
        stalledMillis = (System.nanoTime() - started) / 1_000_000;
        throw SdkClientException.create("stalled call interrupted", e);
      }
    }

    private static String contactStamp(Object request) {
      List<Map<String, AttributeValue>> items = new ArrayList<>();
      if (request instanceof PutItemRequest put) {
        items.add(put.item());
      } else if (request instanceof TransactWriteItemsRequest transaction) {
        transaction.transactItems().stream()
            .filter(item -> item.put() != null)
            .forEach(item -> items.add(item.put().item()));
      }
      return items.stream()
          .filter(item -> item.containsKey("firstName") && item.containsKey("updatedAt"))
          .map(item -> item.get("updatedAt").s())
          .findFirst()
          .orElse(null);
    }
  }

  /**
   * A client that holds the one write of a contact named {@link #HELD} until {@link #release},
   * after the handler has stamped it and before the SDK sends it: the SDK's own timeouts do not run
   * while it waits, as for a request delayed on its way to DynamoDB.
   */
  private static final class HeldWrite implements InvocationHandler {
    final CountDownLatch arrived = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private DynamoDbClient real;

    DynamoDbClient around(DynamoDbClient client) {
      this.real = client;
      return (DynamoDbClient)
          Proxy.newProxyInstance(
              DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class}, this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (args != null && args.length == 1 && args[0] instanceof Consumer) {
        // A builder overload: build the request here (the interface's default method), then the
        // request overload comes back through this handler.
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      if (args != null && args.length == 1 && writesTheHeldContact(args[0])) {
        arrived.countDown();
        assertTrue(release.await(60, TimeUnit.SECONDS), "A released");
      }
      try {
        return method.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    private boolean writesTheHeldContact(Object request) {
      if (arrived.getCount() == 0) {
        return false;
      }
      List<Map<String, AttributeValue>> items = new ArrayList<>();
      if (request instanceof PutItemRequest put) {
        items.add(put.item());
      } else if (request instanceof TransactWriteItemsRequest transaction) {
        for (TransactWriteItem item : transaction.transactItems()) {
          if (item.put() != null) {
            items.add(item.put().item());
          }
        }
      }
      return items.stream()
          .anyMatch(
              item -> item.containsKey("firstName") && HELD.equals(item.get("firstName").s()));
    }
  }
}
