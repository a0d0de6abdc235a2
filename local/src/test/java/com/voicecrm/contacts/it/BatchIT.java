package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.voicecrm.contacts.api.ProxyEventJson;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.BatchUpsertService;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** SPEC section 10 through the real authorizer and handler, against moto. */
class BatchIT {

  private static final String BATCH = ServiceContract.BATCH_UPSERT_RESOURCE;
  private static Rig rig;
  private Tenant tenant;

  @BeforeAll
  static void openRig() {
    rig = Rig.open();
  }

  @AfterAll
  static void closeRig() {
    rig.close();
  }

  @BeforeEach
  void newWorkspace() {
    tenant = rig.newTenant("America/New_York", "Lead Source", "MRR");
  }

  private static Map<String, Object> map(Object... keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }

  private Map<String, Object> envelope(Object... items) {
    return map("workspaceId", tenant.workspaceId(), "items", java.util.Arrays.asList(items));
  }

  private static Response batch(Rig rig, String key, Object body) {
    return rig.call("POST", BATCH, key, TestApi.json(body));
  }

  private Response batch(Object body) {
    return batch(rig, tenant.accountKey(), body);
  }

  private static String phone(int n) {
    return String.format("+1415555%04d", n);
  }

  /** Items of the tenant's workspace in the table: contacts, identifiers and tags. */
  private static List<Map<String, AttributeValue>> itemsOf(Rig rig, String workspaceId) {
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    for (Map<String, AttributeValue> item : rig.scan()) {
      AttributeValue ws = item.get("workspaceId");
      if (ws != null
          && ws.s().equals(workspaceId)
          && Set.of("CONTACT", "IDENTIFIER", "TAG").contains(item.get("sk").s())) {
        items.add(item);
      }
    }
    return items;
  }

  private static void assertItemProblem(JsonNode result, int index, int status, String slug) {
    assertEquals(index, result.path("index").asInt(), result.toString());
    assertEquals(status, result.path("status").asInt(), result.toString());
    JsonNode problem = result.path("problem");
    assertEquals(
        ProblemChecks.ServiceContractSlugs.BASE + slug,
        problem.path("type").asText(),
        result.toString());
    assertEquals(status, problem.path("status").asInt());
    assertFalse(problem.path("detail").asText().isEmpty());
    assertTrue(problem.path("requestId").isMissingNode(), "no requestId in an item's problem");
    assertTrue(result.path("contact").isMissingNode());
  }

  private static List<String> fields(JsonNode problem) {
    List<String> fields = new ArrayList<>();
    problem.path("errors").forEach(e -> fields.add(e.path("field").asText()));
    return fields;
  }

  @Test
  void everyItemApplied_answers200_withOneResultPerItemInOrder_andTheSummary() {
    Response response =
        batch(
            envelope(
                map("phone", phone(1), "firstName", "Ada", "tags", List.of("lead")),
                map("email", "grace@example.com", "customFields", map("MRR", 250)),
                map("phone", phone(3), "email", "linus@example.com", "tags", List.of("lead"))));

    assertEquals(200, response.status(), response.toString());
    assertEquals("application/json", response.header("Content-Type"));
    assertNotEquals(null, response.header("X-Request-Id"));
    assertNull(response.header("Retry-After"));
    JsonNode body = response.json();
    JsonNode results = body.path("results");
    assertEquals(3, results.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(i, results.get(i).path("index").asInt());
      assertEquals(201, results.get(i).path("status").asInt());
      assertTrue(results.get(i).path("problem").isMissingNode());
    }
    JsonNode ada = results.get(0).path("contact");
    assertEquals("Ada", ada.path("firstName").asText());
    assertEquals(phone(1), ada.path("phone").asText());
    assertEquals("America/Los_Angeles", ada.path("timezone").asText()); // derived as on create
    assertEquals(
        "\"250\"", results.get(1).path("contact").path("customFields").path("MRR").toString());
    assertEquals("{\"created\":3,\"updated\":0,\"failed\":0}", body.path("summary").toString());

    // The contact as GET shows it is what the batch answered.
    Response read =
        rig.call("GET", "/v1/contacts/" + ada.path("id").asText(), tenant.accountKey(), null);
    assertEquals(ada, read.json());
    assertConsistent(rig, tenant.workspaceId());

    // The same batch again changes nothing: every item 200, same ids, same updatedAt.
    Response again =
        batch(
            envelope(
                map("phone", phone(1), "firstName", "Ada", "tags", List.of("lead")),
                map("email", "grace@example.com", "customFields", map("MRR", 250)),
                map("phone", phone(3), "email", "linus@example.com", "tags", List.of("lead"))));
    assertEquals(200, again.status(), again.toString());
    for (int i = 0; i < 3; i++) {
      assertEquals(200, again.json().path("results").get(i).path("status").asInt());
      assertEquals(
          results.get(i).path("contact"), again.json().path("results").get(i).path("contact"));
    }
    assertEquals(
        "{\"created\":0,\"updated\":3,\"failed\":0}", again.json().path("summary").toString());
  }

  @Test
  void failedItems_answer207_eachWithItsOwnProblem_andTheOthersAreApplied() {
    Response response =
        batch(
            envelope(
                map("phone", phone(10), "firstName", "Valid"),
                map("phone", phone(11), "email", "not-an-email"),
                map("workspaceId", tenant.workspaceId(), "phone", phone(12)),
                7,
                map("phone", phone(13), "customFields", map("Colour", "red")),
                null,
                map("firstName", "No identifier"),
                map("email", "valid@example.com", "tags", List.of("ok"))));

    assertEquals(207, response.status(), response.toString());
    JsonNode results = response.json().path("results");
    assertEquals(8, results.size());
    assertEquals(201, results.get(0).path("status").asInt());
    assertItemProblem(results.get(1), 1, 400, "validation-error");
    assertEquals(List.of("email"), fields(results.get(1).path("problem")));
    assertItemProblem(results.get(2), 2, 400, "validation-error");
    assertEquals(List.of("workspaceId"), fields(results.get(2).path("problem")));
    assertItemProblem(results.get(3), 3, 400, "validation-error");
    assertEquals(List.of("body"), fields(results.get(3).path("problem")));
    assertItemProblem(results.get(4), 4, 400, "validation-error");
    assertEquals(List.of("customFields.Colour"), fields(results.get(4).path("problem")));
    assertItemProblem(results.get(5), 5, 400, "validation-error");
    assertItemProblem(results.get(6), 6, 400, "validation-error");
    assertEquals(List.of("phone"), fields(results.get(6).path("problem")));
    assertEquals(201, results.get(7).path("status").asInt());
    assertEquals(
        "{\"created\":2,\"updated\":0,\"failed\":6}", response.json().path("summary").toString());

    // Only the two valid items were written: their contacts and claims, and their one tag.
    List<Map<String, AttributeValue>> written = itemsOf(rig, tenant.workspaceId());
    assertEquals(2, written.stream().filter(i -> i.get("sk").s().equals("CONTACT")).count());
    assertEquals(2, written.stream().filter(i -> i.get("sk").s().equals("IDENTIFIER")).count());
    assertEquals(1, written.stream().filter(i -> i.get("sk").s().equals("TAG")).count());
    assertConsistent(rig, tenant.workspaceId());
  }

  @Test
  void envelopeProblems_arePlain400s_listingEveryProblem_andWriteNothing() {
    Map<String, Object> good = map("phone", phone(20), "tags", List.of("never-written"));
    List<Object[]> cases =
        List.of(
            new Object[] {"{\"items\": [", List.of("body")},
            new Object[] {"[]", List.of("body")},
            new Object[] {
              "{\"workspaceId\":\"" + tenant.workspaceId() + "\",\"items\":[{}],\"items\":[]}",
              List.of("items")
            },
            new Object[] {map("workspaceId", tenant.workspaceId()), List.of("items")},
            new Object[] {
              map("workspaceId", tenant.workspaceId(), "items", good), List.of("items")
            },
            new Object[] {
              map("workspaceId", tenant.workspaceId(), "items", List.of()), List.of("items")
            },
            new Object[] {
              map("workspaceId", tenant.workspaceId(), "items", nCopies(101, good)),
              List.of("items")
            },
            new Object[] {
              map("workspaceId", tenant.workspaceId(), "items", List.of(good), "dryRun", true),
              List.of("dryRun")
            },
            new Object[] {map("items", List.of(good)), List.of("workspaceId")},
            new Object[] {
              map("workspaceId", "not-a-uuid", "items", List.of(good), "extra", 1),
              List.of("extra", "workspaceId")
            });
    for (Object[] c : cases) {
      Response response = batch(c[0]);
      assertEquals(400, response.status(), c[0] + " -> " + response);
      JsonNode problem = ProblemChecks.assertProblem(response);
      assertEquals(c[1], fields(problem), c[0] + " -> " + response);
    }
    assertEquals(
        "workspaceId is required for account-scoped API keys",
        batch(map("items", List.of(good))).json().path("detail").asText());
    assertEquals(List.of(), itemsOf(rig, tenant.workspaceId()), "nothing written");
  }

  @Test
  void scope_403And404_forTheWholeBatch_andNothingWritten() {
    Tenant other = rig.newTenant("UTC");
    Map<String, Object> item = map("phone", phone(30), "tags", List.of("x"));

    Response forbidden =
        batch(
            rig,
            tenant.workspaceKey(),
            map("workspaceId", other.workspaceId(), "items", List.of(item)));
    assertEquals(403, forbidden.status(), forbidden.toString());
    ProblemChecks.assertProblem(forbidden);

    Response otherAccount =
        batch(
            rig,
            tenant.accountKey(),
            map("workspaceId", other.workspaceId(), "items", List.of(item)));
    assertEquals(404, otherAccount.status(), otherAccount.toString());
    assertEquals("Workspace not found", otherAccount.json().path("detail").asText());

    // 404 comes before the envelope's 400s for a workspace out of reach, as on a single upsert.
    Response unknown =
        batch(
            rig,
            tenant.accountKey(),
            map("workspaceId", UUID.randomUUID().toString(), "items", List.of(), "extra", 1));
    assertEquals(404, unknown.status(), unknown.toString());

    assertEquals(List.of(), itemsOf(rig, tenant.workspaceId()));
    assertEquals(List.of(), itemsOf(rig, other.workspaceId()));

    // A workspace key needs no workspaceId; its items never match another tenant's contacts.
    assertEquals(
        201,
        batch(
                rig,
                other.accountKey(),
                map("workspaceId", other.workspaceId(), "items", List.of(item)))
            .json()
            .path("results")
            .get(0)
            .path("status")
            .asInt());
    Response mine = batch(rig, tenant.workspaceKey(), map("items", List.of(item)));
    assertEquals(200, mine.status(), mine.toString());
    JsonNode result = mine.json().path("results").get(0);
    assertEquals(201, result.path("status").asInt());
    assertEquals(tenant.workspaceId(), result.path("contact").path("workspaceId").asText());
  }

  @Test
  void otherMethods_are405WithAllowPost_andOtherMediaTypes415() {
    Response get = rig.call("GET", BATCH, tenant.accountKey(), null);
    assertEquals(405, get.status(), get.toString());
    assertEquals("POST", get.header("Allow"));
    ProblemChecks.assertProblem(get);

    Map<String, List<String>> headers = TestApi.headers(tenant.accountKey(), false);
    headers.put("Content-Type", List.of("text/plain"));
    Response text =
        rig.call(
            "POST",
            BATCH,
            headers,
            TestApi.json(envelope(map("phone", phone(40)))).getBytes(StandardCharsets.UTF_8));
    assertEquals(415, text.status(), text.toString());
    assertEquals(List.of(), itemsOf(rig, tenant.workspaceId()));
  }

  @Test
  void bodies_upTo1MiB_areTaken_andLargerOnes413_whileSingleUpsertsKeep256KiB() {
    String json = TestApi.json(envelope(map("phone", phone(50))));
    // JSON allows any amount of whitespace: pad the body to exactly 1 MiB.
    String padded =
        json.substring(0, json.length() - 1)
            + " ".repeat(ServiceContract.MAX_BATCH_BODY_BYTES - json.length())
            + "}";
    assertEquals(
        ServiceContract.MAX_BATCH_BODY_BYTES, padded.getBytes(StandardCharsets.UTF_8).length);
    Response taken = rig.call("POST", BATCH, tenant.accountKey(), padded);
    assertEquals(200, taken.status(), taken.status() + "");

    Response tooLarge = rig.call("POST", BATCH, tenant.accountKey(), padded + " ");
    assertEquals(413, tooLarge.status());
    assertEquals("application/problem+json", tooLarge.header("Content-Type"));

    // The function's own limit, for a body that reached it without a Content-Length check.
    APIGatewayProxyRequestEvent event = event(tenant, padded + " ");
    Response function = rig.invoke(event);
    assertEquals(413, function.status(), function.toString());
    ProblemChecks.assertProblem(function);

    String single = "{\"phone\":\"" + phone(51) + "\"" + " ".repeat(300 * 1024) + "}";
    Response singleTooLarge =
        rig.call("POST", "/v1/contacts/upsert", tenant.workspaceKey(), single);
    assertEquals(413, singleTooLarge.status());
    assertEquals(
        1,
        itemsOf(rig, tenant.workspaceId()).stream()
            .filter(i -> i.get("sk").s().equals("CONTACT"))
            .count());
  }

  /** Strips what differs between two tenants' copies of the same contact. */
  private static JsonNode comparable(JsonNode contact) {
    ObjectNode copy = contact.deepCopy();
    copy.remove(List.of("id", "workspaceId", "createdAt", "updatedAt"));
    return copy;
  }

  @Test
  void itemsSharingAPhoneOrAnEmail_behaveAsTheSameUpsertsSentOneAfterAnother() {
    List<Map<String, Object>> items =
        List.of(
            map("phone", phone(60), "firstName", "First", "tags", List.of("a")),
            map("email", "solo@example.com", "lastName", "Solo"),
            map("phone", phone(60), "email", "shared@example.com", "tags", List.of("b")),
            map("email", "SHARED@example.com", "lastName", "Last", "firstName", "Second"),
            map("email", "shared@example.com", "firstName", "Ignored", "preserveExisting", true),
            map("phone", phone(61), "email", "shared@example.com", "tags", List.of("c")));
    Response response = batch(map("workspaceId", tenant.workspaceId(), "items", items));
    assertEquals(200, response.status(), response.toString());
    JsonNode results = response.json().path("results");

    // The same upserts, one request after another, in a workspace of their own.
    Tenant sequential = rig.newTenant("America/New_York", "Lead Source", "MRR");
    List<Response> singles = new ArrayList<>();
    for (Map<String, Object> item : items) {
      Map<String, Object> body = new LinkedHashMap<>(item);
      body.put("workspaceId", sequential.workspaceId());
      singles.add(rig.upsert(sequential.accountKey(), body));
    }
    for (int i = 0; i < items.size(); i++) {
      assertEquals(singles.get(i).status(), results.get(i).path("status").asInt(), "item " + i);
      assertEquals(
          comparable(singles.get(i).json()),
          comparable(results.get(i).path("contact")),
          "item " + i);
    }
    // The first creates; the later ones update that very contact.
    String id = results.get(0).path("contact").path("id").asText();
    for (int i : new int[] {2, 3, 4, 5}) {
      assertEquals(id, results.get(i).path("contact").path("id").asText());
    }
    assertEquals("[\"a\",\"b\",\"c\"]", results.get(5).path("contact").path("tags").toString());
    assertEquals(
        "{\"created\":2,\"updated\":4,\"failed\":0}", response.json().path("summary").toString());
    assertConsistent(rig, tenant.workspaceId());
  }

  @Test
  void itemsReachingOneContactThroughDifferentIdentifiers_alsoRunInOrder() {
    // X holds phone 70 and old@; the first item moves X's email to new@, so the second item, which
    // names old@ and a free phone, creates a contact with old@ as it would after it in sequence.
    Response x =
        rig.upsert(
            tenant.accountKey(),
            map(
                "workspaceId",
                tenant.workspaceId(),
                "phone",
                phone(70),
                "email",
                "old@example.com"));
    assertEquals(201, x.status());
    Response response =
        batch(
            envelope(
                map("phone", phone(70), "email", "new@example.com"),
                map("email", "old@example.com", "phone", phone(71))));
    assertEquals(200, response.status(), response.toString());
    JsonNode results = response.json().path("results");
    assertEquals(200, results.get(0).path("status").asInt());
    assertEquals("new@example.com", results.get(0).path("contact").path("email").asText());
    assertEquals(201, results.get(1).path("status").asInt());
    assertEquals("old@example.com", results.get(1).path("contact").path("email").asText());
    assertEquals(phone(71), results.get(1).path("contact").path("phone").asText());
    assertConsistent(rig, tenant.workspaceId());
  }

  @Test
  void aBatchOf100NewContacts_isAppliedInOneInvocation() {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      items.add(
          map(
              "phone",
              phone(1000 + i),
              "email",
              "lead" + i + "@example.com",
              "tags",
              List.of("import", "batch-" + (i % 5))));
    }
    Response response = batch(map("workspaceId", tenant.workspaceId(), "items", items));
    assertEquals(200, response.status(), response.toString());
    assertEquals(
        "{\"created\":100,\"updated\":0,\"failed\":0}", response.json().path("summary").toString());
    assertConsistent(rig, tenant.workspaceId());
  }

  /** Holds every write until {@code readers} batches have made their first read. */
  private static final class HoldWritesUntilRead implements ExecutionInterceptor {
    final CountDownLatch reads;
    final AtomicInteger transactions = new AtomicInteger();

    HoldWritesUntilRead(int readers) {
      reads = new CountDownLatch(readers);
    }

    @Override
    public void beforeExecution(
        software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
        ExecutionAttributes attributes) {
      String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      if (operation.equals("TransactWriteItems") || operation.equals("PutItem")) {
        transactions.incrementAndGet();
        try {
          if (!reads.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the other batch never read");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }

    @Override
    public void afterExecution(
        software.amazon.awssdk.core.interceptor.Context.AfterExecution context,
        ExecutionAttributes attributes) {
      if (attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME).equals("BatchGetItem")) {
        reads.countDown();
      }
    }
  }

  @Test
  void twoBatchesRacingOnOverlappingPhones_convergeToOneContactPerPhone_withEveryTag()
      throws Exception {
    HoldWritesUntilRead hold = new HoldWritesUntilRead(2);
    try (Rig racing = Rig.open(Rig.clientWith(hold), RetryPolicy.DEFAULT)) {
      Tenant t = racing.newTenant("UTC");
      List<Object> first = new ArrayList<>();
      List<Object> second = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        first.add(map("phone", phone(100 + i), "tags", List.of("first")));
        second.add(map("phone", phone(104 + i), "tags", List.of("second")));
      }
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        Future<Response> a =
            pool.submit(
                () ->
                    batch(
                        racing,
                        t.accountKey(),
                        map("workspaceId", t.workspaceId(), "items", first)));
        Future<Response> b =
            pool.submit(
                () ->
                    batch(
                        racing,
                        t.accountKey(),
                        map("workspaceId", t.workspaceId(), "items", second)));
        Response ra = a.get(60, TimeUnit.SECONDS);
        Response rb = b.get(60, TimeUnit.SECONDS);
        assertEquals(200, ra.status(), ra.toString());
        assertEquals(200, rb.status(), rb.toString());

        // Phones 104..107 are in both: one contact each, named by both answers, one 201 in all.
        Map<String, String> idByPhone = new HashMap<>();
        Map<String, Integer> createdByPhone = new HashMap<>();
        for (Response r : List.of(ra, rb)) {
          for (JsonNode result : r.json().path("results")) {
            String p = result.path("contact").path("phone").asText();
            String id = result.path("contact").path("id").asText();
            String known = idByPhone.putIfAbsent(p, id);
            assertTrue(known == null || known.equals(id), "one contact for " + p);
            if (result.path("status").asInt() == 201) {
              createdByPhone.merge(p, 1, Integer::sum);
            }
          }
        }
        assertEquals(12, idByPhone.size());
        // Both read before either wrote, so each shared phone's create was lost by one batch,
        // which decided again: 2 tag registrations, 16 first writes and 4 retried ones.
        assertEquals(22, hold.transactions.get());
        for (String p : idByPhone.keySet()) {
          assertEquals(1, createdByPhone.getOrDefault(p, 0), "exactly one 201 for " + p);
        }
        for (int i = 104; i < 108; i++) {
          Response read =
              racing.call("GET", "/v1/contacts/" + idByPhone.get(phone(i)), t.accountKey(), null);
          assertEquals("[\"first\",\"second\"]", read.json().path("tags").toString());
        }
      } finally {
        pool.shutdownNow();
      }
      assertConsistent(racing, t.workspaceId());
    }
  }

  /** A Lambda context whose remaining time the test decides. */
  private record TestContext(LongSupplier remaining) implements Context {
    @Override
    public String getAwsRequestId() {
      return "batch-it";
    }

    @Override
    public String getLogGroupName() {
      return "local";
    }

    @Override
    public String getLogStreamName() {
      return "local";
    }

    @Override
    public String getFunctionName() {
      return "api";
    }

    @Override
    public String getFunctionVersion() {
      return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
      return "arn:aws:lambda:local:000000000000:function:api";
    }

    @Override
    public CognitoIdentity getIdentity() {
      return null;
    }

    @Override
    public ClientContext getClientContext() {
      return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
      return (int) remaining.getAsLong();
    }

    @Override
    public int getMemoryLimitInMB() {
      return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
      return new LambdaLogger() {
        @Override
        public void log(String message) {}

        @Override
        public void log(byte[] message) {}
      };
    }
  }

  /** A batch as API Gateway hands it over after the authorizer passed {@code tenant}'s key. */
  private static APIGatewayProxyRequestEvent event(Tenant tenant, String body) {
    return event(tenant, body, Map.of("Content-Type", "application/json"));
  }

  private static APIGatewayProxyRequestEvent event(
      Tenant tenant, String body, Map<String, String> headers) {
    APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
    event.setHttpMethod("POST");
    event.setPath(BATCH);
    event.setResource(BATCH);
    event.setHeaders(headers);
    event.setBody(body);
    event.setIsBase64Encoded(false);
    APIGatewayProxyRequestEvent.ProxyRequestContext context =
        new APIGatewayProxyRequestEvent.ProxyRequestContext();
    context.setRequestId(UUID.randomUUID().toString());
    Map<String, Object> scope = new HashMap<>();
    scope.put(ServiceContract.CONTEXT_ACCOUNT_ID, tenant.accountId());
    scope.put(ServiceContract.CONTEXT_WORKSPACE_ID, tenant.workspaceId());
    scope.put(ServiceContract.CONTEXT_KEY_ID, "test");
    context.setAuthorizer(scope);
    event.setRequestContext(context);
    return event;
  }

  /**
   * Counts the contact writes (a transaction, or a PutItem of the contact alone); once the {@code
   * writesBeforeLate}-th is done, holds its caller until the request's time is {@code late}, so
   * every later item finds too little time left to start.
   */
  private static final class LateAfterWrites implements ExecutionInterceptor {
    final AtomicInteger writes = new AtomicInteger();
    final int writesBeforeLate;
    volatile long lateAtNanos;

    LateAfterWrites(int writesBeforeLate) {
      this.writesBeforeLate = writesBeforeLate;
    }

    @Override
    public void afterExecution(
        software.amazon.awssdk.core.interceptor.Context.AfterExecution context,
        ExecutionAttributes attributes) {
      String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      if ((operation.equals("TransactWriteItems") || operation.equals("PutItem"))
          && writes.incrementAndGet() == writesBeforeLate) {
        // The deadline itself is what is under test: this waits for real time to pass it.
        long wait = lateAtNanos - System.nanoTime();
        if (wait > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(wait);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
  }

  @Test
  void aBatchCutByItsDeadline_answers503ForTheItemsNotApplied_withRetryAfter_noneHalfWritten() {
    LateAfterWrites late = new LateAfterWrites(3);
    try (Rig timed = Rig.open(Rig.clientWith(late), RetryPolicy.DEFAULT)) {
      Tenant t = timed.newTenant("UTC");
      // One chain (one email), no tags: item 0 creates, each later item is one write.
      List<Object> items = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        items.add(map("email", "deadline@example.com", "lastName", "L" + i));
      }
      long budgetMillis = 5_000;
      // Once three writes are done, the request has less left than an item needs to start.
      late.lateAtNanos =
          System.nanoTime()
              + TimeUnit.MILLISECONDS.toNanos(
                  budgetMillis - BatchUpsertService.MIN_MILLIS_TO_START_ITEM + 100);
      APIGatewayProxyResponseEvent raw =
          ProxyEventJson.invoke(
              timed.handler,
              event(t, TestApi.json(map("items", items))),
              new TestContext(() -> budgetMillis));
      Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.putAll(raw.getHeaders());
      Response response = new Response(raw.getStatusCode(), headers, raw.getBody());

      assertEquals(207, response.status(), response.toString());
      assertEquals("1", response.header("Retry-After"));
      JsonNode results = response.json().path("results");
      assertEquals(201, results.get(0).path("status").asInt());
      assertEquals(200, results.get(1).path("status").asInt());
      assertEquals(200, results.get(2).path("status").asInt());
      for (int i = 3; i < 6; i++) {
        assertItemProblem(results.get(i), i, 503, "service-unavailable");
      }
      assertEquals(
          "{\"created\":1,\"updated\":2,\"failed\":3}", response.json().path("summary").toString());
      assertEquals(3, late.writes.get(), "no write after the cut");
      String id = results.get(0).path("contact").path("id").asText();
      Response read = timed.call("GET", "/v1/contacts/" + id, t.accountKey(), null);
      assertEquals("L2", read.json().path("lastName").asText());
      assertConsistent(timed, t.workspaceId());
    }
  }

  @Test
  void aKeyedBatchCutByItsDeadline_retriedWithItsKey_appliesEveryItemExactlyOnce() {
    // The batch's claim on its key, then three item writes.
    LateAfterWrites late = new LateAfterWrites(4);
    try (Rig timed = Rig.open(Rig.clientWith(late), RetryPolicy.DEFAULT)) {
      Tenant t = timed.newTenant("UTC");
      List<Object> items = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        items.add(map("email", "retried@example.com", "lastName", "L" + i));
      }
      String body = TestApi.json(map("items", items));
      Map<String, String> headers =
          Map.of("Content-Type", "application/json", "Idempotency-Key", "cut-batch-1");
      long budgetMillis = 5_000;
      late.lateAtNanos =
          System.nanoTime()
              + TimeUnit.MILLISECONDS.toNanos(
                  budgetMillis - BatchUpsertService.MIN_MILLIS_TO_START_ITEM + 100);
      Response first = invoke(timed, event(t, body, headers), budgetMillis);
      assertEquals(207, first.status(), first.toString());
      for (int i = 3; i < 6; i++) {
        assertItemProblem(first.json().path("results").get(i), i, 503, "service-unavailable");
      }

      Response retry = invoke(timed, event(t, body, headers), 30_000);

      assertEquals(200, retry.status(), retry.toString());
      // Items 3 to 5 ran now: the batch as a whole is not a replay.
      assertNull(retry.header("Idempotent-Replayed"));
      JsonNode results = retry.json().path("results");
      for (int i = 0; i < 3; i++) {
        assertEquals(
            first.json().path("results").get(i), results.get(i), "item " + i + " replayed");
      }
      for (int i = 3; i < 6; i++) {
        assertEquals(200, results.get(i).path("status").asInt(), results.get(i).toString());
        assertEquals("L" + i, results.get(i).path("contact").path("lastName").asText());
      }
      assertEquals(
          "{\"created\":1,\"updated\":5,\"failed\":0}", retry.json().path("summary").toString());
      // The claim and three writes the first time, three the second (the claim found, not put
      // again): every item applied exactly once.
      assertEquals(7, late.writes.get());
      String id = results.get(0).path("contact").path("id").asText();
      Response read = timed.call("GET", "/v1/contacts/" + id, t.accountKey(), null);
      assertEquals("L5", read.json().path("lastName").asText());
      assertConsistent(timed, t.workspaceId());
    }
  }

  private static Response invoke(Rig rig, APIGatewayProxyRequestEvent event, long budgetMillis) {
    APIGatewayProxyResponseEvent raw =
        ProxyEventJson.invoke(rig.handler, event, new TestContext(() -> budgetMillis));
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.putAll(raw.getHeaders());
    return new Response(raw.getStatusCode(), headers, raw.getBody());
  }

  private static void assertConsistent(Rig rig, String workspaceId) {
    assertEquals(List.of(), TableInvariants.violations(rig.plain, rig.table, workspaceId));
  }

  private static List<Object> nCopies(int n, Object item) {
    return new ArrayList<>(java.util.Collections.nCopies(n, item));
  }
}
