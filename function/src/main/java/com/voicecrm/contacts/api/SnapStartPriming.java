package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.Attempts;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactFields;
import com.voicecrm.contacts.domain.CustomFieldDefinition;
import com.voicecrm.contacts.domain.Identifier;
import com.voicecrm.contacts.domain.NewContact;
import com.voicecrm.contacts.domain.PatchDecision;
import com.voicecrm.contacts.domain.PatchRequest;
import com.voicecrm.contacts.domain.PhoneNumbers;
import com.voicecrm.contacts.domain.UpsertDecision;
import com.voicecrm.contacts.domain.UpsertRequest;
import com.voicecrm.contacts.domain.VersionPrecondition;
import com.voicecrm.contacts.domain.Workspace;
import com.voicecrm.contacts.domain.WriteSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SnapStart priming: before Lambda snapshots the initialised function, run requests through the
 * handler so the snapshot holds loaded classes, linked lambdas, libphonenumber's metadata and a
 * warmed DynamoDB client. It never writes: the upserts target a workspace that cannot exist (the
 * store answers its read with "not found") or fail validation, and the contact read and the patch
 * ask for an id that cannot exist.
 */
final class SnapStartPriming implements Resource {

  /** Random-looking but fixed ids; no workspace, account or contact is ever created with them. */
  static final String NO_WORKSPACE = "00000000-0000-4000-8000-00000000c0de";

  static final String NO_CONTACT = "00000000-0000-4000-8000-00000000dead";
  static final String NO_ACCOUNT = "acc_snapstart_priming";

  private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);

  // CRaC contexts hold resources weakly; this keeps the registered one alive.
  private static final List<SnapStartPriming> REGISTERED = new ArrayList<>(1);

  private final ContactsApiHandler handler;

  SnapStartPriming(ContactsApiHandler handler) {
    this.handler = handler;
  }

  /** Registers priming for the handler Lambda builds; a no-op outside a CRaC/SnapStart JVM. */
  static void register(ContactsApiHandler handler) {
    SnapStartPriming priming = new SnapStartPriming(handler);
    synchronized (REGISTERED) {
      REGISTERED.add(priming);
    }
    Core.getGlobalContext().register(priming);
  }

  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    // Its requests are no client's: they warm the metrics writer but are not recorded.
    handler.unrecorded(this::prime);
  }

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    // Nothing to refresh: the client holds no credentials of its own and reconnects on demand.
  }

  /**
   * Runs the priming requests and returns their statuses: an upsert that passes validation and
   * reaches the store (404, its workspace does not exist), one that fails validation (400), a read
   * and a patch of a contact that does not exist (404, 404). Never throws: a failed priming only
   * costs speed.
   */
  List<Integer> prime() {
    List<Integer> statuses = new ArrayList<>();
    try {
      statuses.add(
          status(
              upsert(
                  "{\"workspaceId\":\""
                      + NO_WORKSPACE
                      + "\",\"firstName\":\"Ada\","
                      + "\"lastName\":\"Lovelace\",\"phone\":\"+44 20 7946 0958\","
                      + "\"email\":\"Ada@Example.com\",\"timezone\":\"Europe/London\","
                      + "\"tags\":[\"vip\",\"priming\"],"
                      + "\"customFields\":{\"Lead Source\":\"Website\",\"MRR\":250,\"Active\":true}}")));
      statuses.add(
          status(
              upsert(
                  "{\"workspaceId\":\"not-a-uuid\",\"phone\":\"+1 555\",\"email\":\"x\",\"tags\":[\"\"]}")));
      statuses.add(status(getContact(NO_CONTACT)));
      // A merge patch with If-Match: parsed and routed to the store, whose read finds no contact.
      statuses.add(
          status(
              patch(
                  NO_CONTACT,
                  "{\"firstName\":\"Augusta\",\"email\":null,\"tags\":[\"new\"],"
                      + "\"removeTags\":[\"vip\"],\"preserveExisting\":false,"
                      + "\"customFields\":{\"Lead Source\":\"Priming\"}}")));
      // A listing by tag: the query parsed, the workspace read finds nothing (404).
      statuses.add(
          status(
              list(
                  Map.of(
                      "workspaceId", List.of(NO_WORKSPACE),
                      "limit", List.of("100"),
                      "tag", List.of("priming")))));
      // A listing with every problem at once and no workspace to read: 400 before any read.
      statuses.add(
          status(
              list(
                  Map.of(
                      "limit", List.of("0"),
                      "cursor", List.of("not-a-cursor"),
                      "email", List.of("x"),
                      "updatedAfter", List.of("2024-01-01T00:00:00+02:00")))));
      // A batch: its envelope and items parsed, the workspace read finds nothing (404).
      statuses.add(
          status(
              batch(
                  "{\"workspaceId\":\""
                      + NO_WORKSPACE
                      + "\",\"items\":[{\"phone\":\"+44 20 7946 0958\",\"tags\":[\"vip\"]},"
                      + "{\"email\":\"Ada@Example.com\",\"firstName\":\"Ada\","
                      + "\"customFields\":{\"Lead Source\":\"Website\"}}]}")));
      // A batch whose envelope is wrong: 400 before any read.
      statuses.add(status(batch("{\"items\":[],\"extra\":1}")));
      // The create path's own work, which a not-found upsert stops short of: timezone derivation
      // from the phone and the contact JSON.
      PhoneNumbers.toE164("+1 (415) 555-0100").flatMap(PhoneNumbers::timezoneOf);
      Instant now = Instant.now();
      Contact contact =
          new Contact(
              NO_CONTACT,
              NO_WORKSPACE,
              NO_ACCOUNT,
              "Ada",
              "Lovelace",
              "ada@example.com",
              "+442079460958",
              "Europe/London",
              List.of("vip"),
              Map.of("f1", "Website"),
              now,
              now,
              null,
              0);
      Workspace workspace =
          new Workspace(
              NO_WORKSPACE,
              NO_ACCOUNT,
              "Priming",
              "America/New_York",
              List.of(new CustomFieldDefinition("f1", "Lead Source")));
      Responses.contact(201, contact, workspace, "priming");
      // The merge rules of a create and an update, which a not-found upsert never reaches.
      ContactFields fields =
          new ContactFields(
              "Ada",
              "Lovelace",
              "ada@example.com",
              "+442079460958",
              null,
              List.of("vip"),
              Map.of("Lead Source", "Website"));
      Contact created = NewContact.of(fields, workspace, NO_CONTACT, now);
      UpsertDecision.decide(
          UpsertRequest.of(
              null,
              new ContactFields("Augusta", null, null, null, null, List.of("new"), Map.of()),
              true),
          new WriteSnapshot(workspace, NO_CONTACT, null, Set.of(), created, Attempts.NONE),
          NO_CONTACT,
          now.plusMillis(1));
      // The patch's decision, which a not-found PATCH never reaches: the email cleared (its claim
      // released), a tag removed, If-Match at the contact's version.
      PatchDecision.decide(
          PatchRequest.of(
              new ContactFields("Augusta", null, "", null, null, List.of("new"), Map.of()),
              List.of("vip"),
              false,
              VersionPrecondition.ofIfMatch(Responses.etag(created))),
          new WriteSnapshot(workspace, null, null, Set.of(), created, Attempts.NONE),
          now.plusMillis(1));
      // Record equality, which the JDK links on first use: an update compares identifiers.
      List<Identifier> identifiers =
          List.of(Identifier.phone(contact.phone()), Identifier.email(contact.email()));
      identifiers.stream().filter(i -> !identifiers.contains(i)).toList();
      // The list page a missing workspace stops short of: both index Queries, the consistent
      // BatchGetItem, a cursor made and read back, the page's JSON. Reads only.
      handler.primeListPath(contact, workspace);
      // The write path (item mapping both ways, a transaction DynamoDB cancels, a conditional
      // put it refuses): writes nothing.
      handler.primeWritePath(contact);
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("SnapStart priming stopped early: {}", e.toString());
    }
    LOG.info("SnapStart priming answered {}", statuses);
    return statuses;
  }

  private APIGatewayProxyRequestEvent upsert(String body) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/json; charset=utf-8");
    return event("POST", ContactsApiHandler.UPSERT, ContactsApiHandler.UPSERT, null, headers, body);
  }

  private APIGatewayProxyRequestEvent list(Map<String, List<String>> query) {
    Map<String, String> single = new HashMap<>();
    query.forEach((name, values) -> single.put(name, values.get(values.size() - 1)));
    return event(
            "GET",
            ContactsApiHandler.CONTACTS,
            ContactsApiHandler.CONTACTS,
            null,
            new HashMap<>(),
            null)
        .withMultiValueQueryStringParameters(query)
        .withQueryStringParameters(single);
  }

  private APIGatewayProxyRequestEvent batch(String body) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/json");
    return event(
        "POST",
        ContactsApiHandler.BATCH_UPSERT,
        ContactsApiHandler.BATCH_UPSERT,
        null,
        headers,
        body);
  }

  private APIGatewayProxyRequestEvent patch(String id, String body) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Content-Type", "application/merge-patch+json");
    headers.put("If-Match", "\"1\"");
    return event(
        "PATCH", ContactsApiHandler.CONTACT, "/v1/contacts/" + id, Map.of("id", id), headers, body);
  }

  private APIGatewayProxyRequestEvent getContact(String id) {
    return event(
        "GET",
        ContactsApiHandler.CONTACT,
        "/v1/contacts/" + id,
        Map.of("id", id),
        new HashMap<>(),
        null);
  }

  private static APIGatewayProxyRequestEvent event(
      String method,
      String resource,
      String path,
      Map<String, String> pathParameters,
      Map<String, String> headers,
      String body) {
    Map<String, Object> authorizer = new HashMap<>();
    authorizer.put(ServiceContract.CONTEXT_ACCOUNT_ID, NO_ACCOUNT);
    authorizer.put(ServiceContract.CONTEXT_WORKSPACE_ID, "");
    authorizer.put(ServiceContract.CONTEXT_KEY_ID, "priming");
    APIGatewayProxyRequestEvent.ProxyRequestContext context =
        new APIGatewayProxyRequestEvent.ProxyRequestContext()
            .withRequestId("snapstart-priming")
            .withResourcePath(resource)
            .withHttpMethod(method);
    context.setAuthorizer(authorizer);
    return new APIGatewayProxyRequestEvent()
        .withResource(resource)
        .withPath(path)
        .withHttpMethod(method)
        .withHeaders(headers)
        .withPathParameters(pathParameters)
        .withRequestContext(context)
        .withBody(body)
        .withIsBase64Encoded(false);
  }

  private int status(APIGatewayProxyRequestEvent event) {
    // Through the wire format, as Lambda invokes it, so the event codec is warm too.
    return ProxyEventJson.invoke(handler, event, null).getStatusCode();
  }
}
