package com.voicecrm.contacts.it;

import static com.voicecrm.contacts.it.TestApi.call;
import static com.voicecrm.contacts.it.TestApi.newTenant;
import static com.voicecrm.contacts.it.TestApi.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/contacts} (SPEC 9) through the local gateway and the real handler against moto:
 * order, limit, paging, every filter, the cursor's binding, tenant isolation, and a full walk while
 * other threads update and delete contacts.
 */
class ListIT {

  private Tenant tenant;

  @BeforeEach
  void newWorkspace() {
    tenant = newTenant(null, "MRR");
  }

  private Response create(String phone, Object... more) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("workspaceId", tenant.workspaceId());
    body.put("phone", phone);
    for (int i = 0; i < more.length; i += 2) {
      body.put((String) more[i], more[i + 1]);
    }
    Response response = upsert(tenant.accountKey(), body);
    assertTrue(response.status() == 201 || response.status() == 200, response.toString());
    return response;
  }

  private static String query(String... nameValues) {
    StringBuilder query = new StringBuilder();
    for (int i = 0; i < nameValues.length; i += 2) {
      query.append(query.length() == 0 ? "?" : "&");
      query.append(URLEncoder.encode(nameValues[i], StandardCharsets.UTF_8));
      query.append('=').append(URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8));
    }
    return query.toString();
  }

  /**
   * A page, once every write that has returned has settled: the unfiltered, tag and updatedAfter
   * listings show a write only past its settle horizon, which the test clock steps past.
   */
  static Response list(String key, String... nameValues) {
    TestApi.settle();
    return listNow(key, nameValues);
  }

  /** A page as the listing shows it now, writes of the last moments still settling. */
  static Response listNow(String key, String... nameValues) {
    return call("GET", "/v1/contacts" + query(nameValues), key, null);
  }

  private Response listAsAccount(String... nameValues) {
    List<String> withWorkspace = new ArrayList<>(List.of("workspaceId", tenant.workspaceId()));
    withWorkspace.addAll(List.of(nameValues));
    return list(tenant.accountKey(), withWorkspace.toArray(String[]::new));
  }

  /** Every page of a listing by the workspace key, in order, following nextCursor. */
  static List<List<JsonNode>> walk(String key, String... filter) {
    List<List<JsonNode>> pages = new ArrayList<>();
    String cursor = null;
    do {
      List<String> parameters = new ArrayList<>(List.of(filter));
      if (cursor != null) {
        parameters.addAll(List.of("cursor", cursor));
      }
      Response page = list(key, parameters.toArray(String[]::new));
      assertEquals(200, page.status(), page.toString());
      List<JsonNode> contacts = new ArrayList<>();
      page.json().get("data").forEach(contacts::add);
      pages.add(contacts);
      JsonNode next = page.json().get("nextCursor");
      cursor = next.isNull() ? null : next.asText();
      assertTrue(pages.size() < 1000, "the walk does not end");
    } while (cursor != null);
    return pages;
  }

  private static List<String> ids(List<List<JsonNode>> pages) {
    return pages.stream().flatMap(List::stream).map(c -> c.get("id").asText()).toList();
  }

  private static List<String> ids(Response page) {
    List<String> ids = new ArrayList<>();
    page.json().get("data").forEach(c -> ids.add(c.get("id").asText()));
    return ids;
  }

  private static final Comparator<JsonNode> LIST_ORDER =
      Comparator.<JsonNode, Instant>comparing(c -> Instant.parse(c.get("updatedAt").asText()))
          .thenComparing(c -> c.get("id").asText());

  private static void assertProblem(Response response, int status, String... fields) {
    assertEquals(status, response.status(), response.toString());
    ProblemChecks.assertProblem(response);
    if (fields.length > 0) {
      List<String> named = new ArrayList<>();
      response.json().get("errors").forEach(e -> named.add(e.get("field").asText()));
      assertEquals(List.of(fields), named, response.toString());
    }
  }

  @Test
  void walk_listsEveryActiveContact_byUpdatedAtThenId_inPagesOfTheLimit() {
    List<JsonNode> created = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      created.add(create("+1415555" + (3100 + i)).json());
    }
    created.sort(LIST_ORDER);

    List<List<JsonNode>> pages = walk(tenant.workspaceKey(), "limit", "3");

    assertEquals(List.of(3, 3, 1), pages.stream().map(List::size).toList());
    assertEquals(created.stream().map(c -> c.get("id").asText()).toList(), ids(pages));
    // The answer's contacts are the same shape as GET /v1/contacts/{id}'s.
    JsonNode first = pages.get(0).get(0);
    String id = first.get("id").asText();
    assertEquals(call("GET", "/v1/contacts/" + id, tenant.accountKey(), null).json(), first);
  }

  @Test
  void defaultLimit_isTwenty_andTheLastPageHasNoCursor() {
    for (int i = 0; i < 21; i++) {
      create("+1415555" + (3200 + i));
    }

    Response first = listAsAccount();
    Response second = listAsAccount("cursor", first.json().get("nextCursor").asText());

    assertEquals(200, first.status(), first.toString());
    assertEquals("application/json", first.header("Content-Type"));
    assertNotNull(first.header("X-Request-Id"));
    assertEquals(20, first.json().get("data").size());
    assertEquals(1, second.json().get("data").size());
    assertTrue(second.json().get("nextCursor").isNull());
  }

  @Test
  void aFreshWrite_showsOnceSettled_butAtOnceInThePhoneAndEmailListings() {
    String settled = create("+14155553011").json().get("id").asText();
    TestApi.settle();
    String fresh = create("+14155553012", "email", "fresh@example.com").json().get("id").asText();

    Response now = listNow(tenant.workspaceKey());
    Response byPhone = listNow(tenant.workspaceKey(), "phone", "+14155553012");
    Response byEmail = listNow(tenant.workspaceKey(), "email", "fresh@example.com");
    Response later = list(tenant.workspaceKey(), "cursor", now.json().get("nextCursor").asText());

    // The page is short and has a cursor: the rest is settling, and the cursor fetches it.
    assertEquals(List.of(settled), ids(now));
    assertEquals(List.of(fresh), ids(byPhone));
    assertEquals(List.of(fresh), ids(byEmail));
    assertEquals(List.of(fresh), ids(later));
    assertTrue(later.json().get("nextCursor").isNull());
  }

  @Test
  void anEmptyWorkspace_isAnEmptyPage() {
    Response page = list(tenant.workspaceKey());

    assertEquals(200, page.status(), page.toString());
    assertEquals("{\"data\":[],\"nextCursor\":null}", page.body());
  }

  @Test
  void anUpdatedContact_movesToTheEnd_andADeletedOneIsGone() {
    String a = create("+14155553301").json().get("id").asText();
    String b = create("+14155553302").json().get("id").asText();
    String c = create("+14155553303").json().get("id").asText();

    create("+14155553301", "firstName", "Moved");
    call("DELETE", "/v1/contacts/" + b, tenant.accountKey(), null);

    assertEquals(List.of(c, a), ids(walk(tenant.workspaceKey())));
    assertEquals(
        List.of(),
        TableInvariants.violations(
            TestApi.api().dynamo(), TestApi.api().table(), tenant.workspaceId()));
  }

  @Test
  void phoneFilter_findsTheHolder_asTheUpsertReadsPhones_andNeverPages() {
    String id = create("+14155553401", "email", "ann@example.com").json().get("id").asText();
    create("+14155553402");

    Response found = list(tenant.workspaceKey(), "phone", "+1 (415) 555-3401", "limit", "1");
    Response none = list(tenant.workspaceKey(), "phone", "+14155553499");

    assertEquals(List.of(id), ids(found));
    assertTrue(found.json().get("nextCursor").isNull());
    assertEquals("{\"data\":[],\"nextCursor\":null}", none.body());
  }

  @Test
  void aPhoneSentWithAnUnencodedPlus_isA400NamingPhone() {
    Response response = call("GET", "/v1/contacts?phone=+14155553401", tenant.workspaceKey(), null);

    assertProblem(response, 400, "phone");
    assertTrue(response.body().contains("%2B"), response.body());
  }

  @Test
  void emailFilter_isCaseInsensitive_andADeletedHolderIsNotFound() {
    String id = create("+14155553501", "email", "Grace@Example.com").json().get("id").asText();

    assertEquals(List.of(id), ids(list(tenant.workspaceKey(), "email", "GRACE@example.COM")));
    call("DELETE", "/v1/contacts/" + id, tenant.accountKey(), null);
    assertEquals(List.of(), ids(list(tenant.workspaceKey(), "email", "grace@example.com")));
    assertProblem(list(tenant.workspaceKey(), "email", "grace"), 400, "email");
  }

  @Test
  void tagFilter_isExact_inListOrder_andFollowsUpdatesAndDeletes() {
    String a = create("+14155553601", "tags", List.of("vip")).json().get("id").asText();
    String b = create("+14155553602", "tags", List.of("VIP")).json().get("id").asText();
    String c = create("+14155553603", "tags", List.of("vip", "lead")).json().get("id").asText();
    String d = create("+14155553604", "tags", List.of("vip")).json().get("id").asText();

    create("+14155553601", "firstName", "Moved"); // a moves to the end of "vip"
    call("DELETE", "/v1/contacts/" + d, tenant.accountKey(), null);

    assertEquals(List.of(c, a), ids(walk(tenant.workspaceKey(), "tag", "vip", "limit", "1")));
    assertEquals(List.of(b), ids(walk(tenant.workspaceKey(), "tag", "VIP")));
    assertEquals(List.of(c), ids(walk(tenant.workspaceKey(), "tag", " lead ")));
    assertEquals(List.of(), ids(walk(tenant.workspaceKey(), "tag", "vi")));
    assertEquals(
        List.of(),
        TableInvariants.violations(
            TestApi.api().dynamo(), TestApi.api().table(), tenant.workspaceId()));
  }

  @Test
  void updatedAfter_isExclusive_takesAnOffset_andPages() {
    List<JsonNode> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(create("+1415555" + (3700 + i)).json());
    }
    created.sort(LIST_ORDER);
    JsonNode pivot = created.get(1);
    Instant at = Instant.parse(pivot.get("updatedAt").asText());
    List<String> expected =
        created.stream()
            .filter(c -> Instant.parse(c.get("updatedAt").asText()).isAfter(at))
            .map(c -> c.get("id").asText())
            .toList();
    String withOffset = at.atOffset(ZoneOffset.ofHours(-5)).toString();

    assertEquals(
        expected, ids(walk(tenant.workspaceKey(), "updatedAfter", at.toString(), "limit", "2")));
    assertEquals(expected, ids(walk(tenant.workspaceKey(), "updatedAfter", withOffset)));
    assertEquals(
        created.stream().map(c -> c.get("id").asText()).toList(),
        ids(walk(tenant.workspaceKey(), "updatedAfter", at.minusSeconds(3600).toString())));
    assertProblem(list(tenant.workspaceKey(), "updatedAfter", "2024-01-15"), 400, "updatedAfter");
  }

  @Test
  void badQueries_are400_listingEveryProblem() {
    Response response =
        listAsAccount("limit", "0", "tag", "a", "email", "b@example.com", "sort", "name");

    assertProblem(response, 400, "sort", "limit", "email", "tag");
    assertProblem(listAsAccount("limit", "101"), 400, "limit");
    assertProblem(list(tenant.workspaceKey(), "tag", "a", "tag", "b"), 400, "tag");
  }

  @Test
  void accountKey_withoutWorkspaceId_is400_withTheSpecSentence() {
    Response response = list(tenant.accountKey());

    assertProblem(response, 400, "workspaceId");
    assertEquals(
        "workspaceId is required for account-scoped API keys",
        response.json().get("detail").asText());
    assertProblem(list(tenant.accountKey(), "workspaceId", "nope"), 400, "workspaceId");
  }

  @Test
  void isolation_otherAccountsWorkspaceIs404_otherWorkspaceIs403() {
    Tenant other = newTenant(null);
    create("+14155553801");

    Response theirs = list(other.accountKey(), "workspaceId", tenant.workspaceId());
    Response missing =
        list(other.accountKey(), "workspaceId", java.util.UUID.randomUUID().toString());
    Response forbidden = list(other.workspaceKey(), "workspaceId", tenant.workspaceId());

    assertProblem(theirs, 404);
    assertEquals(missing.json().get("detail"), theirs.json().get("detail"));
    assertProblem(forbidden, 403);
    assertTrue(!theirs.body().contains("+14155553801") && !forbidden.body().contains("+1415555"));
  }

  @Test
  void aTamperedCursor_orOneReusedWithOtherParameters_is400NamingCursor() {
    for (int i = 0; i < 3; i++) {
      create("+1415555" + (3900 + i), "tags", List.of("t"));
    }
    String cursor = listAsAccount("limit", "1").json().get("nextCursor").asText();
    char last = cursor.charAt(cursor.length() - 1);
    String tampered = cursor.substring(0, cursor.length() - 1) + (last == 'A' ? 'B' : 'A');
    Tenant sibling =
        TestApi.newTenantWithIds(tenant.accountId(), java.util.UUID.randomUUID().toString(), null);

    assertEquals(200, listAsAccount("limit", "5", "cursor", cursor).status()); // limit may change
    assertProblem(listAsAccount("cursor", tampered), 400, "cursor");
    assertProblem(listAsAccount("cursor", "garbage"), 400, "cursor");
    assertProblem(listAsAccount("cursor", ""), 400, "cursor");
    assertProblem(listAsAccount("tag", "t", "cursor", cursor), 400, "cursor");
    assertProblem(
        listAsAccount("updatedAfter", "2024-01-01T00:00:00Z", "cursor", cursor), 400, "cursor");
    // Another workspace of the same account, and the same workspace under a workspace key.
    assertProblem(
        list(tenant.accountKey(), "workspaceId", sibling.workspaceId(), "cursor", cursor),
        400,
        "cursor");
    assertProblem(list(tenant.workspaceKey(), "cursor", cursor), 400, "cursor");
  }

  @Test
  void otherMethods_onTheCollection_are405_allowingGetAndPost() {
    Response response = call("PUT", "/v1/contacts", tenant.accountKey(), "{}");

    assertProblem(response, 405);
    assertEquals("GET, POST", response.header("Allow"));
  }

  /**
   * A full walk (unfiltered and by tag) while two writers update and delete contacts: no contact
   * active throughout is missed, none is shown after its delete returned, and no version of a
   * contact is shown twice. Latches make the walk straddle the writes (first pages before any
   * write, the rest after half of them, while the others run); the writes are a seeded shuffle.
   */
  @Test
  void aWalkDuringUpdatesAndDeletes_missesNoStableContact_andShowsNoDeletedOne() throws Exception {
    int contacts = 36;
    List<String> phones = new ArrayList<>();
    Map<String, String> idByPhone = new HashMap<>();
    for (int i = 0; i < contacts; i++) {
      String phone = "+1415555" + (4000 + i);
      phones.add(phone);
      idByPhone.put(phone, create(phone, "tags", List.of("walk")).json().get("id").asText());
    }
    List<String> shuffled = new ArrayList<>(phones);
    Collections.shuffle(shuffled, new Random(20261201L));
    Set<String> stable = ids(idByPhone, shuffled.subList(0, 12));
    List<String> updated = shuffled.subList(12, 24);
    List<String> deleted = shuffled.subList(24, 36);
    // Each writer: its updates (two each, so a contact moves twice) and deletes, interleaved.
    List<Runnable> operations = new ArrayList<>();
    for (String phone : updated) {
      operations.add(() -> create(phone, "firstName", "First"));
      operations.add(() -> create(phone, "firstName", "Second"));
    }
    Map<String, Long> deleteReturned = new ConcurrentHashMap<>();
    for (String phone : deleted) {
      operations.add(
          () -> {
            Response response =
                call("DELETE", "/v1/contacts/" + idByPhone.get(phone), tenant.accountKey(), null);
            assertEquals(204, response.status(), response.toString());
            deleteReturned.put(idByPhone.get(phone), System.nanoTime());
          });
    }
    Collections.shuffle(operations, new Random(7L));
    TestApi.settle(); // the walks start with every contact settled

    CountDownLatch firstPagesRead = new CountDownLatch(2);
    CountDownLatch writesDone = new CountDownLatch(2);
    CountDownLatch halfWritten = new CountDownLatch(1);
    AtomicInteger written = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        List<Runnable> mine = new ArrayList<>();
        for (int i = w; i < operations.size(); i += 2) {
          mine.add(operations.get(i));
        }
        writers.add(
            pool.submit(
                () -> {
                  try {
                    await(firstPagesRead);
                    for (Runnable operation : mine) {
                      operation.run();
                      if (written.incrementAndGet() == operations.size() / 2) {
                        halfWritten.countDown();
                      }
                    }
                  } finally {
                    writesDone.countDown();
                  }
                  return null;
                }));
      }
      Future<List<Seen>> all =
          pool.submit(() -> timedWalk(firstPagesRead, halfWritten, writesDone));
      Future<List<Seen>> tagged =
          pool.submit(() -> timedWalk(firstPagesRead, halfWritten, writesDone, "tag", "walk"));
      for (Future<?> writer : writers) {
        writer.get(120, TimeUnit.SECONDS);
      }
      for (List<Seen> walk :
          List.of(all.get(120, TimeUnit.SECONDS), tagged.get(120, TimeUnit.SECONDS))) {
        Map<String, List<String>> versions = new HashMap<>();
        for (Seen seen : walk) {
          versions.computeIfAbsent(seen.id, k -> new ArrayList<>()).add(seen.updatedAt);
          Long gone = deleteReturned.get(seen.id);
          assertTrue(
              gone == null || seen.pageRequested < gone,
              "contact " + seen.id + " shown by a page requested after its delete returned");
        }
        for (String id : stable) {
          assertEquals(1, versions.getOrDefault(id, List.of()).size(), "stable contact " + id);
        }
        for (String id : ids(idByPhone, updated)) {
          assertTrue(versions.containsKey(id), "updated contact " + id + " missed");
        }
        for (List<String> times : versions.values()) {
          for (int i = 1; i < times.size(); i++) {
            assertTrue(
                Instant.parse(times.get(i - 1)).isBefore(Instant.parse(times.get(i))),
                "a version shown twice, or out of order: " + times);
          }
        }
      }
    } finally {
      pool.shutdownNow();
    }

    // Afterwards: exactly the contacts still active, each once, in order, in both listings.
    Set<String> active = new HashSet<>(stable);
    active.addAll(ids(idByPhone, updated));
    for (List<String> walk :
        List.of(
            ids(walk(tenant.workspaceKey(), "limit", "5")),
            ids(walk(tenant.workspaceKey(), "tag", "walk")))) {
      assertEquals(active, new HashSet<>(walk));
      assertEquals(active.size(), walk.size());
    }
    assertEquals(
        List.of(),
        TableInvariants.violations(
            TestApi.api().dynamo(), TestApi.api().table(), tenant.workspaceId()));
  }

  /** One contact as a walk showed it, with when the page that showed it was requested. */
  private record Seen(String id, String updatedAt, long pageRequested) {}

  /**
   * A walk of pages of 4 that starts before the writes, goes on after half of them while the rest
   * run, and when a short page says the rest is settling, fetches it again once the writes are done
   * and the clock has been stepped past their settle horizon (never while one is in flight: it
   * would seem to commit long after its stamp, which the service never lets happen).
   */
  private List<Seen> timedWalk(
      CountDownLatch firstPagesRead,
      CountDownLatch halfWritten,
      CountDownLatch writesDone,
      String... filter) {
    List<Seen> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      List<String> parameters = new ArrayList<>(List.of(filter));
      parameters.addAll(List.of("limit", "4"));
      if (cursor != null) {
        parameters.addAll(List.of("cursor", cursor));
      }
      long requested = System.nanoTime();
      Response page = listNow(tenant.workspaceKey(), parameters.toArray(String[]::new));
      assertEquals(200, page.status(), page.toString());
      page.json()
          .get("data")
          .forEach(
              c ->
                  seen.add(new Seen(c.get("id").asText(), c.get("updatedAt").asText(), requested)));
      JsonNode next = page.json().get("nextCursor");
      cursor = next.isNull() ? null : next.asText();
      if (++pages == 1) {
        firstPagesRead.countDown();
        await(halfWritten);
      } else if (cursor != null && page.json().get("data").size() < 4) {
        await(writesDone);
        TestApi.settle();
      }
    } while (cursor != null);
    return seen;
  }

  private static Set<String> ids(Map<String, String> idByPhone, List<String> phones) {
    Set<String> ids = new HashSet<>();
    phones.forEach(p -> ids.add(idByPhone.get(p)));
    return ids;
  }

  private static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(120, TimeUnit.SECONDS), "latch not released");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
