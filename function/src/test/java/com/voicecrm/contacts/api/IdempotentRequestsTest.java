package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.domain.ApiKeyScope;
import com.voicecrm.contacts.domain.AttemptLoop;
import com.voicecrm.contacts.domain.Deadline;
import com.voicecrm.contacts.domain.DomainException;
import com.voicecrm.contacts.domain.Idempotency.Claim;
import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import com.voicecrm.contacts.domain.IdempotentAnswers;
import com.voicecrm.contacts.domain.InMemoryIdempotencyRecords;
import com.voicecrm.contacts.domain.Metrics;
import com.voicecrm.contacts.domain.RetryPolicy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A write route under SPEC 11: what is recorded on its own, what is replayed, what passes by. */
class IdempotentRequestsTest {

  private static final ApiKeyScope SCOPE = new ApiKeyScope("acc", null, "k1");
  private static final Deadline PLENTY = Deadline.afterMillis(600_000);

  private final InMemoryIdempotencyRecords store = new InMemoryIdempotencyRecords();
  private final Map<RecordId, Record> records = store.records;
  private final List<Claim> claims = new ArrayList<>();
  private final IdempotentRequests requests =
      new IdempotentRequests(
          new IdempotentAnswers(
              new AttemptLoop(store, new RetryPolicy(3, 1, 2, 0), Metrics.NONE),
              Clock.fixed(Instant.parse("2024-01-15T10:30:00Z"), ZoneOffset.UTC)));

  private static APIGatewayProxyRequestEvent event(String key, String body) {
    APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
    event.setHttpMethod("POST");
    event.setPath("/v1/contacts/upsert");
    event.setBody(body);
    if (key != null) {
      event.setHeaders(Map.of("Idempotency-Key", key));
    }
    return event;
  }

  private APIGatewayProxyResponseEvent serve(
      APIGatewayProxyRequestEvent event, String requestId, IdempotentRequests.Route route) {
    return requests.serve(event, () -> SCOPE, requestId, PLENTY, route);
  }

  private IdempotentRequests.Route answering(APIGatewayProxyResponseEvent response) {
    return claim -> {
      claims.add(claim);
      return IdempotentRequests.Served.unrecorded(response);
    };
  }

  private static APIGatewayProxyResponseEvent ok(String requestId) {
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(200)
        .withHeaders(new HashMap<>(Map.of("X-Request-Id", requestId, "ETag", "\"4\"")))
        .withBody("{\"id\":\"c1\"}");
  }

  @Test
  void withoutAKey_theRouteRunsWithoutAClaim_andNothingIsRecorded() {
    APIGatewayProxyResponseEvent response = serve(event(null, "{}"), "r1", answering(ok("r1")));
    assertEquals(200, response.getStatusCode());
    assertEquals(1, claims.size());
    assertNull(claims.get(0));
    assertEquals(Map.of(), records);
  }

  @Test
  void anInvalidKey_is400_andTheRouteNeverRuns() {
    APIGatewayProxyResponseEvent response =
        serve(event("has space", "{}"), "r1", answering(ok("r1")));
    assertEquals(400, response.getStatusCode());
    assertEquals(List.of(), claims);
  }

  @Test
  void anAnswerNoWriteCarried_isRecorded_andTheNextRequestWithTheKeyGetsItReplayed() {
    serve(event("k", "{}"), "r1", answering(ok("r1")));
    assertEquals(1, records.size());

    APIGatewayProxyResponseEvent second =
        serve(
            event("k", "{}"),
            "r2",
            answering(new APIGatewayProxyResponseEvent().withStatusCode(200).withBody("other")));

    assertEquals("{\"id\":\"c1\"}", second.getBody());
    assertEquals("true", second.getHeaders().get("Idempotent-Replayed"));
    assertEquals("r2", second.getHeaders().get("X-Request-Id"));
    assertEquals("\"4\"", second.getHeaders().get("ETag"));
  }

  @Test
  void anAnswerAWriteCarried_isNotRecordedAgain() {
    serve(event("k", "{}"), "r1", claim -> IdempotentRequests.Served.recorded(ok("r1")));
    assertEquals(Map.of(), records);
  }

  @Test
  void aKept4xxFromTheDomain_isRendered_andRecorded() {
    APIGatewayProxyResponseEvent response =
        serve(
            event("k", "{}"),
            "r1",
            claim -> {
              throw new DomainException.NotFound("Workspace not found");
            });
    assertEquals(404, response.getStatusCode());
    assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
    assertEquals(404, records.values().iterator().next().answer().status());
  }

  @Test
  void answersNotKept_andThe422_passThroughUnrecorded() {
    for (DomainException notKept :
        List.of(
            new DomainException.Conflict("taken"),
            new DomainException.Forbidden("no"),
            new DomainException.PreconditionFailed("stale"),
            new DomainException.Unavailable("busy", 1),
            new DomainException.IdempotencyKeyReused("reused"))) {
      assertThrows(
          notKept.getClass(),
          () ->
              serve(
                  event("k", "{}"),
                  "r1",
                  claim -> {
                    throw notKept;
                  }));
    }
    assertEquals(Map.of(), records);
  }

  @Test
  void theSameKeyWithAnotherBody_whoseAnswerNeedsNoWrite_is422() {
    serve(event("k", "{\"a\":1}"), "r1", answering(ok("r1")));
    assertThrows(
        DomainException.IdempotencyKeyReused.class,
        () -> serve(event("k", "{\"a\":2}"), "r2", answering(ok("r2"))));
  }
}
