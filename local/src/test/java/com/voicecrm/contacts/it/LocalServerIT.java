package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.local.LocalServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The local server over real HTTP: the README's curl examples, and its bound under overload. */
class LocalServerIT {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void readmeUpsert_is201ThenSameIdWith200() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String body =
        "{\"workspaceId\":\"6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c\",\"firstName\":\"Grace\",\"phone\":\"+1 415 555 9999\"}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(TestApi.api().baseUri() + "/v1/contacts/upsert"))
            .header("Authorization", "Bearer sk_test_demoAccountKey0000000000000000000001")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();

    HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> second = client.send(request, HttpResponse.BodyHandlers.ofString());

    assertEquals(201, first.statusCode(), first.body());
    assertEquals(200, second.statusCode());
    assertEquals(
        TestApi.JSON.readTree(first.body()).get("id"),
        TestApi.JSON.readTree(second.body()).get("id"));
    assertNotNull(first.headers().firstValue("X-Request-Id").orElse(null));
  }

  @Test
  void readmeCreate_is201WithLocationAndETag_thenA409NamingTheContact() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String body =
        "{\"workspaceId\":\"6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c\",\"firstName\":\"Grace\","
            + "\"lastName\":\"Hopper\",\"email\":\"grace@example.com\","
            + "\"phone\":\"+1 (202) 555-0143\",\"tags\":[\"prospect\"],"
            + "\"customFields\":{\"Lead Source\":\"Referral\"}}";
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(TestApi.api().baseUri() + "/v1/contacts"))
            .header("Authorization", "Bearer sk_test_demoAccountKey0000000000000000000001")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();

    HttpResponse<String> first = client.send(request, HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> second = client.send(request, HttpResponse.BodyHandlers.ofString());

    assertEquals(201, first.statusCode(), first.body());
    String id = TestApi.JSON.readTree(first.body()).get("id").asText();
    assertEquals("/v1/contacts/" + id, first.headers().firstValue("Location").orElse(null));
    assertEquals("\"0\"", first.headers().firstValue("ETag").orElse(null));
    assertEquals(409, second.statusCode(), second.body());
    assertEquals(
        "[{\"field\":\"phone\",\"contactId\":\""
            + id
            + "\"},"
            + "{\"field\":\"email\",\"contactId\":\""
            + id
            + "\"}]",
        TestApi.JSON.readTree(second.body()).get("conflicts").toString());
  }

  @Test
  void readmePatch_is200WithANewETag_andIfMatchOfAnEarlierVersionIs412() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String key = "Bearer sk_test_demoAccountKey0000000000000000000001";
    HttpResponse<String> found =
        client.send(
            HttpRequest.newBuilder(URI.create(TestApi.api().baseUri() + "/v1/contacts/upsert"))
                .header("Authorization", key)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"workspaceId\":\"6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c\","
                            + "\"phone\":\"+1 (415) 555-7777\",\"tags\":[\"vip\"]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String id = TestApi.JSON.readTree(found.body()).get("id").asText();
    URI contact = URI.create(TestApi.api().baseUri() + "/v1/contacts/" + id);

    HttpResponse<String> patched =
        client.send(
            HttpRequest.newBuilder(contact)
                .header("Authorization", key)
                .header("Content-Type", "application/merge-patch+json")
                .method(
                    "PATCH",
                    HttpRequest.BodyPublishers.ofString(
                        "{\"lastName\":null,\"tags\":[\"customer\"],\"removeTags\":[\"vip\"],"
                            + "\"customFields\":{\"MRR\":300}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> stale =
        client.send(
            HttpRequest.newBuilder(contact)
                .header("Authorization", key)
                .header("Content-Type", "application/merge-patch+json")
                .header("If-Match", "\"0\"")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"firstName\":\"Johnny\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(200, patched.statusCode(), patched.body());
    assertEquals("[\"customer\"]", TestApi.JSON.readTree(patched.body()).get("tags").toString());
    assertEquals(
        "300", TestApi.JSON.readTree(patched.body()).get("customFields").get("MRR").asText());
    assertNotEquals(
        found.headers().firstValue("ETag").orElseThrow(),
        patched.headers().firstValue("ETag").orElseThrow());
    assertEquals(412, stale.statusCode(), stale.body());
  }

  @Test
  void fullQueue_answers503WithRetryAfter_atOnce_andServesTheQueuedRequestsAfterwards()
      throws Exception {
    // GIVEN a server whose 2 threads are held by requests and whose 2 queue places are taken
    CountDownLatch bothThreadsBusy = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger served = new AtomicInteger();
    LocalServer.RequestHandler heldUntilReleased =
        (method, path, headers, body) -> {
          bothThreadsBusy.countDown();
          awaitOrFail(release);
          served.incrementAndGet();
          return new APIGatewayProxyResponseEvent()
              .withStatusCode(200)
              .withHeaders(Map.of("X-Request-Id", "held"))
              .withBody("{}");
        };
    try (LocalServer server =
        LocalServer.start(heldUntilReleased, 0, new LocalServer.Limits(2, 2))) {
      HttpClient client =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/contacts"))
              .timeout(WAIT)
              .GET()
              .build();
      List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        held.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      awaitOrFail(bothThreadsBusy);
      for (int i = 0; i < 2; i++) {
        held.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (server.waiting() < 2) {
        assertTrue(System.nanoTime() < deadline, "the two requests never reached the queue");
        Thread.onSpinWait();
      }

      // WHEN one more request arrives
      HttpResponse<String> overloaded = client.send(request, HttpResponse.BodyHandlers.ofString());

      // THEN it is answered 503 with Retry-After, while the function still holds both threads
      TestApi.Response response = asResponse(overloaded);
      assertEquals(503, response.status(), response.toString());
      ProblemChecks.assertProblem(response);
      assertEquals("1", response.header("Retry-After"));
      assertEquals(0, served.get());

      // AND once the threads are free, the held and the queued requests are all served
      release.countDown();
      for (CompletableFuture<HttpResponse<String>> pending : held) {
        assertEquals(200, pending.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode());
      }
      assertEquals(200, client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(5, served.get());
    }
  }

  private static TestApi.Response asResponse(HttpResponse<String> response) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    response.headers().map().forEach((name, values) -> headers.put(name, values.get(0)));
    return new TestApi.Response(response.statusCode(), headers, response.body());
  }

  private static void awaitOrFail(CountDownLatch latch) {
    try {
      assertTrue(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS), "timed out waiting");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
