package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.CustomFieldDefinition;
import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.IdentifierConflict;
import com.voicecrm.contacts.domain.Workspace;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponsesTest {

  private static final Workspace WORKSPACE =
      new Workspace(
          "ws",
          "acc",
          "Main",
          null,
          List.of(
              new CustomFieldDefinition("f-z", "Zeta"), new CustomFieldDefinition("f-a", "Alpha")));

  @Test
  void contact_hasEveryKey_nullsForEmpty_customFieldsByNameInOrder_andHidesRemovedFields() {
    Contact contact =
        new Contact(
            "id1",
            "ws",
            "acc",
            null,
            null,
            null,
            "+14155551234",
            null,
            List.of("b", "A"),
            Map.of("f-z", "1", "f-a", "2", "f-removed", "3"),
            Instant.parse("2024-01-15T10:30:00Z"),
            Instant.parse("2024-01-15T10:30:00.120Z"),
            null,
            1);

    assertEquals(
        "{\"id\":\"id1\",\"workspaceId\":\"ws\",\"firstName\":null,\"lastName\":null,\"email\":null,"
            + "\"phone\":\"+14155551234\",\"timezone\":null,\"tags\":[\"A\",\"b\"],"
            + "\"customFields\":{\"Alpha\":\"2\",\"Zeta\":\"1\"},"
            + "\"createdAt\":\"2024-01-15T10:30:00Z\",\"updatedAt\":\"2024-01-15T10:30:00.120Z\"}",
        Responses.contactJson(contact, WORKSPACE));
  }

  @Test
  void problem_carriesTypeTitleStatusDetailRequestIdAndErrors() {
    var response =
        Responses.problem(
            new Problem.Details(
                Problem.VALIDATION_ERROR,
                "bad",
                List.of(new FieldError("tags[0]", "Must be a string"))),
            "req-1");

    assertEquals(400, response.getStatusCode());
    assertEquals("application/problem+json", response.getHeaders().get("Content-Type"));
    assertEquals("req-1", response.getHeaders().get("X-Request-Id"));
    assertEquals(
        "{\"type\":\"https://api.voicecrm.example/errors/validation-error\",\"title\":\"Invalid request\","
            + "\"status\":400,\"detail\":\"bad\",\"requestId\":\"req-1\","
            + "\"errors\":[{\"field\":\"tags[0]\",\"message\":\"Must be a string\"}]}",
        response.getBody());
  }

  @Test
  void contact_carriesItsVersionAsAStrongQuotedETag() {
    Contact contact =
        new Contact(
            "id1",
            "ws",
            "acc",
            null,
            null,
            null,
            "+14155551234",
            null,
            List.of(),
            Map.of(),
            Instant.parse("2024-01-15T10:30:00Z"),
            Instant.parse("2024-01-15T10:30:00Z"),
            null,
            7);

    var response = Responses.contact(200, contact, WORKSPACE, "req-1");

    assertEquals("\"7\"", response.getHeaders().get("ETag"));
  }

  @Test
  void conflictProblem_namesEveryConflictingIdentifier() {
    var response =
        Responses.problem(
            new Problem.Details(
                Problem.CONFLICT,
                "taken",
                List.of(),
                List.of(
                    new IdentifierConflict("phone", "c1"), new IdentifierConflict("email", "c2"))),
            "req-1");

    assertEquals(409, response.getStatusCode());
    assertEquals(
        "{\"type\":\"https://api.voicecrm.example/errors/conflict\",\"title\":\"Conflict\","
            + "\"status\":409,\"detail\":\"taken\",\"requestId\":\"req-1\","
            + "\"conflicts\":[{\"field\":\"phone\",\"contactId\":\"c1\"},"
            + "{\"field\":\"email\",\"contactId\":\"c2\"}]}",
        response.getBody());
  }

  @Test
  void unauthorized_carriesWwwAuthenticate() {
    var response = GatewayResponses.unauthorized("r");
    assertEquals(401, response.getStatusCode());
    assertEquals("Bearer", response.getHeaders().get("WWW-Authenticate"));
  }
}
