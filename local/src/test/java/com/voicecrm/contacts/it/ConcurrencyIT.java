package com.voicecrm.contacts.it;

import static com.voicecrm.contacts.it.TestApi.call;
import static com.voicecrm.contacts.it.TestApi.newTenant;
import static com.voicecrm.contacts.it.TestApi.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** SPEC section 3.5: racing upserts converge on one contact and lose nothing. */
class ConcurrencyIT {

  static final int WRITERS = 24;

  /** Runs all calls at once (released together by a latch) and returns their responses. */
  static List<Response> race(List<Callable<Response>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Response>> futures = new ArrayList<>();
      for (Callable<Response> call : calls) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return call.call();
                }));
      }
      start.countDown();
      List<Response> responses = new ArrayList<>();
      for (Future<Response> future : futures) {
        responses.add(future.get());
      }
      return responses;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void parallelUpsertsOfOneNewPhone_makeOneContact_oneCreated_withEveryTag() throws Exception {
    Tenant tenant = newTenant(null);
    List<Callable<Response>> calls = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      Map<String, Object> body =
          Map.of(
              "workspaceId",
              tenant.workspaceId(),
              "phone",
              "+14155550500",
              "tags",
              List.of("writer-" + i));
      calls.add(() -> upsert(tenant.accountKey(), body));
    }

    List<Response> responses = race(calls);

    Set<String> ids =
        responses.stream().map(r -> r.json().get("id").asText()).collect(Collectors.toSet());
    assertEquals(
        1,
        ids.size(),
        () ->
            responses.stream().map(r -> r.status() + " " + r.json().get("id")).toList().toString());
    assertEquals(1, responses.stream().filter(r -> r.status() == 201).count());
    assertEquals(WRITERS - 1, responses.stream().filter(r -> r.status() == 200).count());
    JsonNode contact =
        call("GET", "/v1/contacts/" + ids.iterator().next(), tenant.accountKey(), null).json();
    Set<String> tags = new TreeSet<>();
    contact.get("tags").forEach(t -> tags.add(t.asText()));
    assertEquals(WRITERS, tags.size());
    assertEquals(
        1,
        TestApi.scan("CONTACT#").stream()
            .filter(i -> i.get("sk").s().equals("CONTACT")) // not the contact's tag memberships
            .filter(i -> i.get("workspaceId").s().equals(tenant.workspaceId()))
            .count());
  }

  @Test
  void parallelUpsertsOfDifferentFieldsOfOneContact_allLand() throws Exception {
    String[] fields = {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J"};
    Tenant tenant = newTenant(null, fields);
    String id =
        upsert(
                tenant.accountKey(),
                Map.of("workspaceId", tenant.workspaceId(), "phone", "+14155550501"))
            .json()
            .get("id")
            .asText();
    List<Callable<Response>> calls = new ArrayList<>();
    for (String field : fields) {
      Map<String, Object> body =
          Map.of(
              "workspaceId",
              tenant.workspaceId(),
              "phone",
              "+14155550501",
              "customFields",
              Map.of(field, field.toLowerCase()));
      calls.add(() -> upsert(tenant.accountKey(), body));
    }
    calls.add(
        () ->
            upsert(
                tenant.accountKey(),
                Map.of(
                    "workspaceId",
                    tenant.workspaceId(),
                    "phone",
                    "+14155550501",
                    "firstName",
                    "Racer")));

    List<Response> responses = race(calls);

    responses.forEach(r -> assertEquals(200, r.status(), r.toString()));
    JsonNode contact = call("GET", "/v1/contacts/" + id, tenant.accountKey(), null).json();
    assertEquals(fields.length, contact.get("customFields").size(), contact.toString());
    assertEquals("Racer", contact.get("firstName").asText());
  }
}
