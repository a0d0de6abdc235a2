package com.voicecrm.contacts.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.client.api.ContactsApi;
import com.voicecrm.contacts.client.model.Contact;
import com.voicecrm.contacts.client.model.FieldError;
import com.voicecrm.contacts.client.model.NotFoundProblem;
import com.voicecrm.contacts.client.model.UpsertRequest;
import com.voicecrm.contacts.client.model.UpsertRequestCustomFieldsValue;
import com.voicecrm.contacts.client.model.ValidationProblem;
import com.voicecrm.contacts.local.LocalApi;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The client that openapi-generator builds from openapi/contacts-api.yaml, against the local API
 * over real HTTP with the demo seed: if the document and the server disagree on a path, a body or a
 * status, these calls fail.
 */
class GeneratedClientIT {

  // The demo seed (events/local-seed.json): the account key and its workspace "Main".
  private static final String DEMO_ACCOUNT_KEY = "sk_test_demoAccountKey0000000000000000000001";
  private static final UUID MAIN_WORKSPACE =
      UUID.fromString("6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c");
  private static final String PROBLEM_TYPES = "https://api.voicecrm.example/errors/";

  private static LocalApi api;
  private static ApiClient apiClient;
  private static ContactsApi contacts;

  @BeforeAll
  static void startTheLocalApi() throws Exception {
    Path root = Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
    api = LocalApi.start(0, root.resolve(LocalApi.DEFAULT_SEED), Map.of());
    apiClient = new ApiClient();
    apiClient.updateBaseUri(api.baseUri().toString());
    // The native (java.net.http) library leaves auth to the caller: the bearer key goes on every
    // request through its interceptor.
    apiClient.setRequestInterceptor(
        request -> request.header("Authorization", "Bearer " + DEMO_ACCOUNT_KEY));
    contacts = new ContactsApi(apiClient);
  }

  @AfterAll
  static void stopTheLocalApi() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void upsertGetDelete_roundTripThroughTheGeneratedModels() throws Exception {
    UpsertRequest request =
        new UpsertRequest()
            .workspaceId(MAIN_WORKSPACE.toString())
            .firstName("Ada")
            .lastName("Lovelace")
            .email("ada@example.com")
            .phone("+1 (415) 555-0177")
            .tags(List.of("vip", "prospect"))
            .customFields(
                Map.of(
                    "Lead Source", new UpsertRequestCustomFieldsValue("Referral"),
                    "MRR", new UpsertRequestCustomFieldsValue(new java.math.BigDecimal("250.50"))));

    ApiResponse<Contact> created = contacts.upsertContactWithHttpInfo(request, null);
    ApiResponse<Contact> again = contacts.upsertContactWithHttpInfo(request, null);

    assertEquals(201, created.getStatusCode());
    Contact contact = created.getData();
    assertEquals("/v1/contacts/" + contact.getId(), created.getHeaders().get("location").get(0));
    assertEquals(200, again.getStatusCode());
    assertEquals(contact.getId(), again.getData().getId());
    assertEquals(contact.getUpdatedAt(), again.getData().getUpdatedAt());

    Contact read = contacts.getContact(contact.getId().toString());

    assertEquals(MAIN_WORKSPACE, read.getWorkspaceId());
    assertEquals("Ada", read.getFirstName());
    assertEquals("Lovelace", read.getLastName());
    assertEquals("ada@example.com", read.getEmail());
    assertEquals("+14155550177", read.getPhone());
    assertEquals(List.of("prospect", "vip"), read.getTags());
    assertEquals(Map.of("Lead Source", "Referral", "MRR", "250.50"), read.getCustomFields());
    assertEquals(contact.getCreatedAt(), read.getCreatedAt());

    // With the ETag the upsert answered as If-Match: deleted only if nobody changed it since.
    String etag = again.getHeaders().get("etag").get(0);
    ApiResponse<Void> deleted =
        contacts.deleteContactWithHttpInfo(contact.getId().toString(), null, etag);

    assertEquals(204, deleted.getStatusCode());
    ApiException gone =
        assertThrows(ApiException.class, () -> contacts.getContact(contact.getId().toString()));
    assertEquals(404, gone.getCode());
    NotFoundProblem problem =
        apiClient.getObjectMapper().readValue(gone.getResponseBody(), NotFoundProblem.class);
    assertEquals(PROBLEM_TYPES + "not-found", problem.getType());
    assertEquals(404, problem.getStatus());
    assertEquals("Contact not found", problem.getDetail());
    assertEquals(
        gone.getResponseHeaders().firstValue("X-Request-Id").orElse(null), problem.getRequestId());
  }

  @Test
  void anUpsertRetriedWithItsIdempotencyKey_getsThe201Again_markedReplayed() throws Exception {
    UpsertRequest request =
        new UpsertRequest()
            .workspaceId(MAIN_WORKSPACE.toString())
            .phone("+1 (415) 555-0178")
            .tags(List.of("retried"));
    String key = "client-" + java.util.UUID.randomUUID();

    ApiResponse<Contact> first = contacts.upsertContactWithHttpInfo(request, key);
    ApiResponse<Contact> retry = contacts.upsertContactWithHttpInfo(request, key);

    assertEquals(201, first.getStatusCode());
    assertEquals(201, retry.getStatusCode());
    assertEquals(first.getData(), retry.getData());
    assertEquals(first.getHeaders().get("location"), retry.getHeaders().get("location"));
    assertEquals(List.of("true"), retry.getHeaders().get("idempotent-replayed"));
    assertEquals(null, first.getHeaders().get("idempotent-replayed"));
    contacts.deleteContact(first.getData().getId().toString(), null, null);
  }

  @Test
  void invalidUpsert_isAnApiExceptionWhoseBodyIsAValidationProblemListingEveryField()
      throws Exception {
    UpsertRequest invalid =
        new UpsertRequest()
            .workspaceId(MAIN_WORKSPACE.toString())
            .email("not-an-email")
            .customFields(Map.of("Colour", new UpsertRequestCustomFieldsValue("blue")));

    ApiException thrown =
        assertThrows(ApiException.class, () -> contacts.upsertContact(invalid, null));

    assertEquals(400, thrown.getCode());
    assertTrue(
        thrown
            .getResponseHeaders()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json"),
        thrown.getResponseHeaders().toString());
    ValidationProblem problem =
        apiClient.getObjectMapper().readValue(thrown.getResponseBody(), ValidationProblem.class);
    assertEquals(PROBLEM_TYPES + "validation-error", problem.getType());
    assertEquals(400, problem.getStatus());
    assertNotNull(problem.getRequestId());
    assertEquals(
        List.of("email", "customFields.Colour"),
        problem.getErrors().stream().map(FieldError::getField).toList(),
        problem.toString());
  }
}
