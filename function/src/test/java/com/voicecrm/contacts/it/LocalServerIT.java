package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The README's curl example, over real HTTP against the local server. */
class LocalServerIT {

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
}
