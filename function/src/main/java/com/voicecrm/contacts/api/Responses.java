package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.IdentifierConflict;
import com.voicecrm.contacts.domain.Workspace;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/** Builds every response the API sends: contacts as JSON, errors as problem+json. */
final class Responses {

  static final String JSON = "application/json";
  static final String PROBLEM_JSON = "application/problem+json";

  private Responses() {}

  static APIGatewayProxyResponseEvent contact(
      int status, Contact contact, Workspace workspace, String requestId) {
    APIGatewayProxyResponseEvent response =
        response(status, JSON, contactJson(contact, workspace), requestId);
    response.getHeaders().put("ETag", etag(contact));
    return response;
  }

  /**
   * The contact's strong validator (SPEC 2): its stored version, which every write advances and a
   * no-op keeps, quoted as an HTTP entity tag.
   */
  static String etag(Contact contact) {
    return "\"" + contact.version() + "\"";
  }

  static APIGatewayProxyResponseEvent noContent(String requestId) {
    return response(204, null, null, requestId);
  }

  static APIGatewayProxyResponseEvent problem(Problem.Details details, String requestId) {
    Problem problem = details.problem();
    APIGatewayProxyResponseEvent response =
        response(problem.status, PROBLEM_JSON, problemJson(details, requestId), requestId);
    if (problem == Problem.UNAUTHORIZED) {
      response.getHeaders().put("WWW-Authenticate", "Bearer");
    }
    return response;
  }

  static String problemJson(Problem.Details details, String requestId) {
    return write(g -> writeProblem(g, details, requestId));
  }

  /**
   * The problem's fields as one JSON object; {@code requestId} null leaves it out (batch items).
   */
  static void writeProblem(JsonGenerator g, Problem.Details details, String requestId)
      throws IOException {
    Problem problem = details.problem();
    g.writeStartObject();
    g.writeStringField("type", ServiceContract.PROBLEM_TYPE_BASE + problem.slug);
    g.writeStringField("title", problem.title);
    g.writeNumberField("status", problem.status);
    g.writeStringField("detail", details.detail());
    if (requestId != null) {
      g.writeStringField("requestId", requestId);
    }
    if (!details.errors().isEmpty()) {
      g.writeArrayFieldStart("errors");
      for (FieldError error : details.errors()) {
        g.writeStartObject();
        g.writeStringField("field", error.field());
        g.writeStringField("message", error.message());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (!details.conflicts().isEmpty()) {
      g.writeArrayFieldStart("conflicts");
      for (IdentifierConflict conflict : details.conflicts()) {
        g.writeStartObject();
        g.writeStringField("field", conflict.field());
        g.writeStringField("contactId", conflict.contactId());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** The contact in the shape of SPEC section 1: every key present, null when empty. */
  static String contactJson(Contact contact, Workspace workspace) {
    Map<String, String> customFields = new TreeMap<>();
    contact
        .customFieldValues()
        .forEach(
            (fieldId, value) ->
                // A value of a field the workspace no longer defines is kept but not shown.
                workspace.fieldWithId(fieldId).ifPresent(f -> customFields.put(f.name(), value)));
    return write(
        g -> {
          g.writeStartObject();
          g.writeStringField("id", contact.id());
          g.writeStringField("workspaceId", contact.workspaceId());
          g.writeStringField("firstName", contact.firstName());
          g.writeStringField("lastName", contact.lastName());
          g.writeStringField("email", contact.email());
          g.writeStringField("phone", contact.phone());
          g.writeStringField("timezone", contact.timezone());
          g.writeArrayFieldStart("tags");
          for (String tag : contact.tags()) {
            g.writeString(tag);
          }
          g.writeEndArray();
          g.writeObjectFieldStart("customFields");
          for (Map.Entry<String, String> field : customFields.entrySet()) {
            g.writeStringField(field.getKey(), field.getValue());
          }
          g.writeEndObject();
          g.writeStringField("createdAt", timestamp(contact.createdAt()));
          g.writeStringField("updatedAt", timestamp(contact.updatedAt()));
          g.writeEndObject();
        });
  }

  private static String timestamp(Instant instant) {
    return instant.toString(); // ISO-8601 UTC with Z; instants are kept at millisecond precision
  }

  static APIGatewayProxyResponseEvent response(
      int status, String contentType, String body, String requestId) {
    Map<String, String> headers = new HashMap<>();
    headers.put("X-Request-Id", requestId);
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(status)
        .withHeaders(headers)
        .withBody(body);
  }

  interface JsonWriter {
    void write(JsonGenerator generator) throws IOException;
  }

  static String write(JsonWriter writer) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator generator = JsonBodies.factory().createGenerator(out)) {
      writer.write(generator);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
