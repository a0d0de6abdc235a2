package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Random sequences of upserts, batches of upserts, create-only requests, patches and deletes, run
 * against the API on moto and against a plain model of SPEC sections 3, 7 and 8 written here,
 * independently of the product's merge code: every response (status, which contact, every field)
 * and the final state must agree, and the table must keep its invariants. A batch (SPEC 10) must
 * answer exactly what the same upserts sent one after another would, item by item. Every contact's
 * ETag stays exactly as long as the model says nothing changed. Phones, emails and tags come from
 * small pools, so sequences keep matching, moving and colliding identifiers. Each case is generated
 * by its own {@link Random} with a fixed seed, named in the test's display name, so a failure is
 * reproducible.
 */
class ReliabilityModelIT {

  private static final ReliabilityStats.Suite STATS = ReliabilityStats.suite("model");
  private static final int STEPS = 15;
  // Cases at scale 1; -Dreliability.scale multiplies it.
  private static final int BASE_CASES = 30;
  private static final String DEFAULT_TZ = "America/Chicago";

  // Each phone in the ways a client may write it, its E.164 form, and the one zone it maps to.
  private static final String[][] PHONES = {
    {"+14155550123", "+1 415-555-0123", "+14155550123", "America/Los_Angeles"},
    {"+12125550123", "+1 (212) 555.0123", "+12125550123", "America/New_York"},
    {"+447700900123", "+44 7700 900123", "+447700900123", null},
    {"+18005550123", "+1 800 555 0123", "+18005550123", null},
  };
  private static final String[] FIRST_NAMES = {null, null, "Ann", "Bob", "", "  Zed "};
  private static final String[] LAST_NAMES = {null, null, "Lee", "", "Moe"};
  private static final String[] ZONES = {
    null, null, null, null, null, "Europe/Paris", "UTC", "Mars/Base"
  };
  private static final List<List<String>> TAGS =
      List.of(
          List.of(),
          List.of("vip"),
          List.of("VIP", "lead"),
          List.of(" a ", "b"),
          List.of(),
          List.of("vip", "Vip"));

  // A table per sequence: moto copies every table on each transaction, so a table that kept
  // growing over hundreds of sequences would slow every request down to the SDK's timeouts.
  private Rig rig;

  private Rig rig() {
    return rig;
  }

  /** Between STEPS / 2 and STEPS steps, each 12 genes in 0..99. */
  static List<List<Integer>> sequence(Random random) {
    int length = STEPS / 2 + random.nextInt(STEPS - STEPS / 2 + 1);
    List<List<Integer>> steps = new ArrayList<>(length);
    for (int s = 0; s < length; s++) {
      List<Integer> genes = new ArrayList<>(12);
      for (int g = 0; g < 12; g++) {
        genes.add(random.nextInt(100));
      }
      steps.add(genes);
    }
    return steps;
  }

  @TestFactory
  Stream<DynamicTest> randomUpsertsAndDeletes_agreeWithTheModel() {
    return IntStream.range(0, BASE_CASES * ReliabilityStats.scale())
        .mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> agreeWithTheModel(seed)));
  }

  private void agreeWithTheModel(long seed) {
    List<List<Integer>> steps = sequence(new Random(seed));
    STATS.scenario();
    try (Rig fresh = Rig.open()) {
      rig = fresh;
      run(steps);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          "seed " + seed + " (" + steps.size() + " steps " + steps + "): " + e.getMessage(), e);
    } finally {
      rig = null;
    }
  }

  private void run(List<List<Integer>> steps) {
    Tenant tenant = rig().newTenant(DEFAULT_TZ, "Lead Source", "MRR");
    Model model = new Model();
    // SPEC 9's listings, in pages of 1 to 4, halfway through and at the end.
    int limit = 1 + steps.size() % 4;
    for (int step = 0; step < steps.size(); step++) {
      List<Integer> genes = steps.get(step);
      if (step == steps.size() / 2) {
        listingsAgree(tenant, model, limit);
      }
      if (genes.get(0) < 12) {
        delete(tenant, model, genes);
      } else if (genes.get(0) < 24) {
        create(tenant, model, genes);
      } else if (genes.get(0) < 40) {
        patch(tenant, model, genes);
      } else if (genes.get(0) < 52) {
        batch(tenant, model, genes);
      } else {
        upsert(tenant, model, genes);
      }
      STATS.requests(1);
    }
    for (Model.Contact c : model.contacts) {
      Response get = rig().call("GET", "/v1/contacts/" + c.id, tenant.workspaceKey(), null);
      STATS.requests(1);
      if (c.deleted) {
        assertEquals(404, get.status(), get.toString());
      } else {
        assertEquals(200, get.status(), get.toString());
        assertEquals(
            c.expected(tenant.workspaceId()), actual(get.json()), "final state of " + c.id);
        assertEquals(c.etag, get.header("ETag"), "final ETag of " + c.id);
      }
    }
    listingsAgree(tenant, model, limit);
    rig().assertInvariants(tenant.workspaceId(), STATS);
  }

  private static final List<String> LISTED_TAGS = List.of("vip", "VIP", "Vip", "lead", "a", "b");

  /**
   * SPEC 9 against the model: a full walk and the tag and updatedAfter walks are the model's active
   * contacts (each field as the model says) in updatedAt, id order; a phone or email listing is its
   * one active holder, in any way the pools write it.
   */
  private void listingsAgree(Tenant tenant, Model model, int limit) {
    String ws = tenant.workspaceId();
    List<Model.Contact> active =
        model.contacts.stream()
            .filter(c -> !c.deleted)
            .sorted(
                Comparator.comparing((Model.Contact c) -> Instant.parse(c.updatedAt))
                    .thenComparing(c -> c.id))
            .toList();
    List<JsonNode> walked = walk(tenant.workspaceKey(), limit);
    assertEquals(
        active.stream().map(c -> c.expected(ws)).toList(),
        walked.stream().map(ReliabilityModelIT::actual).toList(),
        "full walk, limit " + limit);
    assertEquals(
        active.stream().map(c -> c.updatedAt).toList(),
        walked.stream().map(c -> c.get("updatedAt").asText()).toList(),
        "full walk's updatedAt");
    for (String tag : LISTED_TAGS) {
      assertEquals(
          ids(active.stream().filter(c -> c.tags.contains(tag)).toList()),
          ids(walk(tenant.workspaceKey(), limit, "tag", tag)),
          "tag " + tag);
    }
    if (!active.isEmpty()) {
      Instant after = Instant.parse(active.get(active.size() / 2).updatedAt);
      assertEquals(
          ids(active.stream().filter(c -> Instant.parse(c.updatedAt).isAfter(after)).toList()),
          ids(walk(tenant.workspaceKey(), limit, "updatedAfter", after.toString())),
          "updatedAfter " + after);
    }
    for (String[] phone : PHONES) {
      assertEquals(
          ids(active.stream().filter(c -> phone[2].equals(c.phone)).toList()),
          ids(walk(tenant.workspaceKey(), limit, "phone", phone[1])),
          "phone " + phone[1]);
    }
    for (int e = 0; e < 4; e++) {
      String address = "U" + e + "@EXAMPLE.com";
      assertEquals(
          ids(active.stream().filter(c -> address.equalsIgnoreCase(c.email)).toList()),
          ids(walk(tenant.workspaceKey(), limit, "email", address)),
          "email " + address);
    }
  }

  private static List<String> ids(List<?> contacts) {
    return contacts.stream()
        .map(c -> c instanceof Model.Contact m ? m.id : ((JsonNode) c).get("id").asText())
        .toList();
  }

  /** Every contact of a listing, following nextCursor to the end. */
  private List<JsonNode> walk(String key, int limit, String... filter) {
    rig().settle(); // the writes so far are past the listings' settle horizon
    List<JsonNode> contacts = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      StringBuilder query = new StringBuilder("?limit=" + limit);
      for (int i = 0; i < filter.length; i += 2) {
        query.append('&').append(filter[i]).append('=').append(encode(filter[i + 1]));
      }
      if (cursor != null) {
        query.append("&cursor=").append(encode(cursor));
      }
      Response page = rig().call("GET", "/v1/contacts" + query, key, null);
      STATS.requests(1);
      assertEquals(200, page.status(), page.toString());
      page.json().get("data").forEach(contacts::add);
      JsonNode next = page.json().get("nextCursor");
      cursor = next.isNull() ? null : next.asText();
      assertTrue(++pages <= 100, "the walk does not end");
    } while (cursor != null);
    return contacts;
  }

  private static String encode(String text) {
    return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
  }

  private void delete(Tenant tenant, Model model, List<Integer> genes) {
    int target = genes.get(1) % (model.contacts.size() + 1);
    String id =
        target < model.contacts.size()
            ? model.contacts.get(target).id
            : UUID.randomUUID().toString();
    Response response = rig().call("DELETE", "/v1/contacts/" + id, tenant.workspaceKey(), null);
    Model.Contact c = target < model.contacts.size() ? model.contacts.get(target) : null;
    if (c != null && !c.deleted) {
      assertEquals(204, response.status(), response.toString());
      c.deleted = true;
    } else {
      assertEquals(404, response.status(), response.toString());
    }
  }

  /** POST /v1/contacts with the body an upsert of these genes would send. */
  private void create(Tenant tenant, Model model, List<Integer> genes) {
    Map<String, Object> body = body(genes);
    Response response =
        rig().call("POST", "/v1/contacts", tenant.workspaceKey(), TestApi.json(body));
    Model.Outcome expected = model.create(body);
    String context = "create " + body + " -> " + response;
    assertEquals(expected.status(), response.status(), context);
    if (expected.status() == 400) {
      return;
    }
    if (expected.status() == 409) {
      List<String> named = new ArrayList<>();
      response
          .json()
          .get("conflicts")
          .forEach(k -> named.add(k.get("field").asText() + "=" + k.get("contactId").asText()));
      assertEquals(expected.conflicts(), named, context);
      return;
    }
    created(expected.contact(), response, context);
    assertEquals(
        expected.contact().expected(tenant.workspaceId()), actual(response.json()), context);
  }

  private void created(Model.Contact c, Response response, String context) {
    JsonNode json = response.json();
    c.id = json.get("id").asText();
    c.createdAt = json.get("createdAt").asText();
    c.updatedAt = c.createdAt;
    c.etag = response.header("ETag");
    assertEquals(c.createdAt, json.get("updatedAt").asText(), context);
    assertEquals("/v1/contacts/" + c.id, response.header("Location"), context);
  }

  /**
   * PATCH of a contact of the sequence (or an unknown id): the upsert's body of these genes with
   * some identifiers cleared, tags removed and an {@code If-Match} that is current or stale.
   */
  private void patch(Tenant tenant, Model model, List<Integer> genes) {
    // Mostly an active contact of the sequence; sometimes a deleted one or an unknown id.
    List<Model.Contact> active = model.contacts.stream().filter(k -> !k.deleted).toList();
    Model.Contact c;
    if (genes.get(11) % 6 == 0 || model.contacts.isEmpty()) {
      c = null;
    } else if (genes.get(11) % 6 == 1 || active.isEmpty()) {
      c = model.contacts.get(genes.get(11) % model.contacts.size());
    } else {
      c = active.get(genes.get(11) % active.size());
    }
    String id = c != null ? c.id : UUID.randomUUID().toString();
    Map<String, Object> body = body(genes);
    switch (genes.get(2) % 5) {
      case 0 -> body.put("phone", null);
      case 1 -> body.put("email", null);
      case 2 -> {
        body.put("phone", null);
        body.put("email", null);
      }
      default -> {}
    }
    if (genes.get(4) % 3 == 0) {
      body.put("removeTags", TAGS.get((genes.get(4) / 3) % TAGS.size()));
    }
    var headers = TestApi.headers(tenant.workspaceKey(), false);
    headers.put("Content-Type", List.of("application/merge-patch+json"));
    boolean stale = false;
    if (genes.get(0) % 4 == 0 && c != null && c.etag != null) {
      headers.put("If-Match", List.of(c.etag));
    } else if (genes.get(0) % 4 == 1) {
      headers.put("If-Match", List.of("\"999999\""));
      stale = true;
    }
    Response response =
        rig()
            .call(
                "PATCH",
                "/v1/contacts/" + id,
                headers,
                TestApi.json(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Model.Outcome expected = model.patch(c, body, stale);
    String context = "patch " + body + " -> " + response;
    assertEquals(expected.status(), response.status(), context);
    if (expected.status() == 409) {
      List<String> named = new ArrayList<>();
      response
          .json()
          .get("conflicts")
          .forEach(k -> named.add(k.get("field").asText() + "=" + k.get("contactId").asText()));
      assertEquals(expected.conflicts(), named, context);
    }
    if (expected.status() != 200) {
      return;
    }
    JsonNode json = response.json();
    String updatedAt = json.get("updatedAt").asText();
    if (expected.changed()) {
      assertTrue(Instant.parse(updatedAt).isAfter(Instant.parse(c.updatedAt)), context);
      assertNotEquals(c.etag, response.header("ETag"), "a change moves the ETag: " + context);
    } else {
      assertEquals(c.updatedAt, updatedAt, "nothing changed, so nothing written: " + context);
      assertEquals(c.etag, response.header("ETag"), "a no-op keeps the ETag: " + context);
    }
    c.updatedAt = updatedAt;
    c.etag = response.header("ETag");
    assertEquals(c.expected(tenant.workspaceId()), actual(json), context);
  }

  private void upsert(Tenant tenant, Model model, List<Integer> genes) {
    Map<String, Object> body = body(genes);
    Response response = rig().upsert(tenant.workspaceKey(), body);
    Model.Outcome expected = model.upsert(body);
    String context = body + " -> " + response;
    assertEquals(expected.status(), response.status(), context);
    if (expected.status() == 400) {
      return;
    }
    JsonNode json = response.json();
    Model.Contact c = expected.contact();
    if (expected.status() == 201) {
      created(c, response, context);
    } else {
      assertEquals(c.id, json.get("id").asText(), "matched contact: " + context);
      assertEquals(c.createdAt, json.get("createdAt").asText(), context);
      String updatedAt = json.get("updatedAt").asText();
      if (expected.changed()) {
        assertTrue(!Instant.parse(updatedAt).isBefore(Instant.parse(c.updatedAt)), context);
        assertNotEquals(c.etag, response.header("ETag"), "a change moves the ETag: " + context);
      } else {
        assertEquals(c.updatedAt, updatedAt, "nothing changed, so nothing written: " + context);
        assertEquals(c.etag, response.header("ETag"), "a no-op keeps the ETag: " + context);
      }
      c.updatedAt = updatedAt;
      c.etag = response.header("ETag");
    }
    assertEquals(c.expected(tenant.workspaceId()), actual(json), context);
  }

  /**
   * POST /v1/contacts/batch/upsert with 2 to 5 upsert bodies drawn from the step's genes: the model
   * applies them one after another, and every item's result must be that upsert's answer.
   */
  private void batch(Tenant tenant, Model model, List<Integer> genes) {
    Random random = new Random(genes.hashCode());
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 2 + random.nextInt(4); i > 0; i--) {
      List<Integer> itemGenes = new ArrayList<>(12);
      for (int g = 0; g < 12; g++) {
        itemGenes.add(random.nextInt(100));
      }
      items.add(body(itemGenes));
    }
    Response response =
        rig()
            .call(
                "POST",
                "/v1/contacts/batch/upsert",
                tenant.workspaceKey(),
                TestApi.json(Map.of("items", items)));
    String context = "batch " + items + " -> " + response;
    JsonNode results = response.json().get("results");
    assertEquals(items.size(), results.size(), context);
    boolean allApplied = true;
    List<Model.Contact> touched = new ArrayList<>();
    // The model applies the items one after another, each checked before the next changes it.
    for (int i = 0; i < items.size(); i++) {
      JsonNode result = results.get(i);
      Model.Outcome outcome = model.upsert(items.get(i));
      allApplied &= outcome.status() != 400;
      String itemContext = "item " + i + " of " + context;
      assertEquals(i, result.get("index").asInt(), itemContext);
      assertEquals(outcome.status(), result.get("status").asInt(), itemContext);
      if (outcome.status() == 400) {
        continue;
      }
      JsonNode json = result.get("contact");
      Model.Contact c = outcome.contact();
      if (outcome.status() == 201) {
        c.id = json.get("id").asText();
        c.createdAt = json.get("createdAt").asText();
        c.updatedAt = c.createdAt;
        assertEquals(c.createdAt, json.get("updatedAt").asText(), itemContext);
      } else {
        assertEquals(c.id, json.get("id").asText(), "matched contact: " + itemContext);
        assertEquals(c.createdAt, json.get("createdAt").asText(), itemContext);
        String updatedAt = json.get("updatedAt").asText();
        if (outcome.changed()) {
          assertTrue(!Instant.parse(updatedAt).isBefore(Instant.parse(c.updatedAt)), itemContext);
        } else {
          assertEquals(c.updatedAt, updatedAt, "nothing changed: " + itemContext);
        }
        c.updatedAt = updatedAt;
      }
      assertEquals(c.expected(tenant.workspaceId()), actual(json), itemContext);
      touched.add(c);
    }
    assertEquals(allApplied ? 200 : 207, response.status(), context);
    // Items carry no ETag: read each contact the batch touched for the one it has now.
    for (Model.Contact c : touched) {
      Response get = rig().call("GET", "/v1/contacts/" + c.id, tenant.workspaceKey(), null);
      STATS.requests(1);
      assertEquals(c.expected(tenant.workspaceId()), actual(get.json()), context);
      c.etag = get.header("ETag");
    }
  }

  private static Map<String, Object> body(List<Integer> genes) {
    Map<String, Object> body = new LinkedHashMap<>();
    int phone = genes.get(1) % 6;
    if (phone < 4) {
      body.put("phone", PHONES[phone][genes.get(2) % 2]);
    }
    int email = genes.get(3) % 6;
    if (email < 4) {
      String address = "u" + email + "@example.com";
      body.put(
          "email",
          switch (genes.get(4) % 3) {
            case 0 -> address;
            case 1 -> address.toUpperCase(Locale.ROOT);
            default -> "  U" + email + "@Example.com ";
          });
    }
    putIfNotNull(body, "firstName", FIRST_NAMES[genes.get(5) % FIRST_NAMES.length]);
    putIfNotNull(body, "lastName", LAST_NAMES[genes.get(6) % LAST_NAMES.length]);
    putIfNotNull(body, "timezone", ZONES[genes.get(7) % ZONES.length]);
    switch (genes.get(8) % 4) {
      case 2 -> body.put("preserveExisting", true);
      case 3 -> body.put("preserveExisting", false);
      default -> {}
    }
    List<String> tags = TAGS.get(genes.get(9) % TAGS.size());
    if (!tags.isEmpty() || genes.get(9) % TAGS.size() == 4) {
      body.put("tags", tags);
    }
    Map<String, Object> custom = new LinkedHashMap<>();
    switch (genes.get(10) % 8) {
      case 1 -> custom.put("Lead Source", "Web");
      case 2 -> custom.put("Lead Source", null);
      case 3 -> custom.put("MRR", new BigDecimal("250.50"));
      case 4 -> {
        custom.put("MRR", true);
        custom.put("Lead Source", "");
      }
      case 5 -> {
        custom.put("Lead Source", "Ads");
        custom.put("MRR", 7);
      }
      case 6 -> custom.put("Unknown", "x");
      default -> {}
    }
    if (genes.get(10) % 8 != 0) {
      body.put("customFields", custom);
    }
    if (genes.get(11) % 5 == 0) {
      body.put("firstName", null); // JSON null: as if omitted
    }

    return body;
  }

  private static void putIfNotNull(Map<String, Object> body, String field, Object value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  private static Map<String, Object> actual(JsonNode json) {
    Map<String, Object> contact = new TreeMap<>();
    for (String field :
        List.of("id", "workspaceId", "firstName", "lastName", "email", "phone", "timezone")) {
      contact.put(field, json.get(field).isNull() ? null : json.get(field).asText());
    }
    List<String> tags = new ArrayList<>();
    json.get("tags").forEach(t -> tags.add(t.asText()));
    contact.put("tags", tags);
    Map<String, String> custom = new TreeMap<>();
    json.get("customFields")
        .fields()
        .forEachRemaining(e -> custom.put(e.getKey(), e.getValue().asText()));
    contact.put("customFields", custom);
    return contact;
  }

  /** SPEC section 3, as plainly as it reads. */
  static final class Model {

    // SPEC section 1: case-insensitive, ties by code point (the pools are ASCII).
    static final Comparator<String> TAG_ORDER =
        String.CASE_INSENSITIVE_ORDER.thenComparing(Comparator.naturalOrder());

    static final class Contact {
      String id;
      String firstName;
      String lastName;
      String email;
      String phone;
      String timezone;
      TreeSet<String> tags = new TreeSet<>(TAG_ORDER);
      Map<String, String> custom = new TreeMap<>();
      boolean deleted;
      String etag;
      String createdAt;
      String updatedAt;

      Map<String, Object> expected(String workspaceId) {
        Map<String, Object> c = new TreeMap<>();
        c.put("id", id);
        c.put("workspaceId", workspaceId);
        c.put("firstName", firstName);
        c.put("lastName", lastName);
        c.put("email", email);
        c.put("phone", phone);
        c.put("timezone", timezone);
        c.put("tags", new ArrayList<>(tags));
        c.put("customFields", new TreeMap<>(custom));
        return c;
      }

      List<Object> content() {
        return java.util.Arrays.asList(
            firstName, lastName, email, phone, timezone, List.copyOf(tags), Map.copyOf(custom));
      }
    }

    /** {@code conflicts}: "field=contactId" for each identifier a 409 names. */
    record Outcome(int status, Contact contact, boolean changed, List<String> conflicts) {
      Outcome(int status, Contact contact, boolean changed) {
        this(status, contact, changed, List.of());
      }
    }

    final List<Contact> contacts = new ArrayList<>();

    /** SPEC 7: the upsert's rules without preserveExisting, and 409 where it would match. */
    Outcome create(Map<String, Object> body) {
      if (body.containsKey("preserveExisting")) {
        return new Outcome(400, null, false);
      }
      String phone = body.get("phone") == null ? null : e164((String) body.get("phone"));
      String email = body.get("email") == null ? null : ((String) body.get("email")).trim();
      @SuppressWarnings("unchecked")
      Map<String, Object> custom =
          (Map<String, Object>) body.getOrDefault("customFields", Map.of());
      if ((phone == null && email == null)
          || "Mars/Base".equals(body.get("timezone"))
          || custom.containsKey("Unknown")) {
        return new Outcome(400, null, false);
      }
      List<String> conflicts = new ArrayList<>();
      if (phone != null) {
        active().filter(c -> phone.equals(c.phone)).forEach(c -> conflicts.add("phone=" + c.id));
      }
      if (email != null) {
        active()
            .filter(c -> sameEmail(email, c.email))
            .forEach(c -> conflicts.add("email=" + c.id));
      }
      if (!conflicts.isEmpty()) {
        return new Outcome(409, null, false, conflicts);
      }
      return upsert(body); // nothing matches, so the upsert's create
    }

    Outcome upsert(Map<String, Object> body) {
      String phone = body.get("phone") == null ? null : e164((String) body.get("phone"));
      String email = body.get("email") == null ? null : ((String) body.get("email")).trim();
      String zone = (String) body.get("timezone");
      @SuppressWarnings("unchecked")
      Map<String, Object> custom =
          (Map<String, Object>) body.getOrDefault("customFields", Map.of());
      if ((phone == null && email == null)
          || "Mars/Base".equals(zone)
          || custom.containsKey("Unknown")) {
        return new Outcome(400, null, false);
      }
      boolean preserve = Boolean.TRUE.equals(body.get("preserveExisting"));
      String firstName = trimmed(body.get("firstName"));
      String lastName = trimmed(body.get("lastName"));
      @SuppressWarnings("unchecked")
      List<String> tags =
          ((List<String>) body.getOrDefault("tags", List.of())).stream().map(String::trim).toList();

      Contact matched = null;
      if (phone != null) {
        matched = active().filter(c -> phone.equals(c.phone)).findFirst().orElse(null);
      }
      if (matched == null && email != null) {
        matched = active().filter(c -> sameEmail(email, c.email)).findFirst().orElse(null);
      }
      if (matched == null) {
        Contact c = new Contact();
        c.firstName = emptyToNull(firstName);
        c.lastName = emptyToNull(lastName);
        c.email = email;
        c.phone = phone;
        c.timezone =
            zone != null
                ? zone
                : phone != null && zoneOf(phone) != null ? zoneOf(phone) : DEFAULT_TZ;
        c.tags.addAll(tags);
        custom.forEach(
            (name, value) -> {
              if (value != null) {
                c.custom.put(name, value.toString());
              }
            });
        contacts.add(c);
        return new Outcome(201, c, true);
      }
      Contact c = matched;
      List<Object> before = c.content();
      if (phone != null && active().noneMatch(o -> o != c && phone.equals(o.phone))) {
        c.phone = write(c.phone, phone, preserve);
      }
      if (email != null && active().noneMatch(o -> o != c && sameEmail(email, o.email))) {
        c.email = write(c.email, email, preserve);
      }
      c.firstName = write(c.firstName, firstName, preserve);
      c.lastName = write(c.lastName, lastName, preserve);
      c.timezone = write(c.timezone, zone, preserve);
      c.tags.addAll(tags);
      custom.forEach(
          (name, value) -> {
            String text = value == null ? null : value.toString();
            if (preserve) {
              if (text != null && (c.custom.get(name) == null || c.custom.get(name).isEmpty())) {
                c.custom.put(name, text);
              }
            } else if (text == null) {
              c.custom.remove(name);
            } else {
              c.custom.put(name, text);
            }
          });
      return new Outcome(200, c, !before.equals(c.content()));
    }

    /**
     * SPEC 8 on {@code c} (null: an unknown id): 404, then 400 (field errors, then a contact left
     * with neither identifier), then 412 for a stale If-Match, then 409 for a new phone or email
     * another active contact holds, else the merge; nothing changes unless 200.
     */
    @SuppressWarnings("unchecked")
    Outcome patch(Contact c, Map<String, Object> body, boolean staleIfMatch) {
      if (c == null || c.deleted) {
        return new Outcome(404, null, false);
      }
      Map<String, Object> custom =
          body.get("customFields") == null
              ? Map.of()
              : (Map<String, Object>) body.get("customFields");
      List<String> tags =
          body.get("tags") == null
              ? List.of()
              : ((List<String>) body.get("tags")).stream().map(String::trim).toList();
      List<String> removeTags =
          body.get("removeTags") == null
              ? List.of()
              : ((List<String>) body.get("removeTags")).stream().map(String::trim).toList();
      if ("Mars/Base".equals(body.get("timezone"))
          || custom.containsKey("Unknown")
          || removeTags.stream().anyMatch(tags::contains)) {
        return new Outcome(400, null, false);
      }
      boolean preserve = Boolean.TRUE.equals(body.get("preserveExisting"));
      String phone = patched(c.phone, body, "phone", preserve);
      String email = patched(c.email, body, "email", preserve);
      if (phone == null && email == null) {
        return new Outcome(400, null, false);
      }
      if (staleIfMatch) {
        return new Outcome(412, null, false);
      }
      List<String> conflicts = new ArrayList<>();
      if (phone != null && !phone.equals(c.phone)) {
        active()
            .filter(o -> o != c && phone.equals(o.phone))
            .forEach(o -> conflicts.add("phone=" + o.id));
      }
      if (email != null && !sameEmail(email, c.email)) {
        active()
            .filter(o -> o != c && sameEmail(email, o.email))
            .forEach(o -> conflicts.add("email=" + o.id));
      }
      if (!conflicts.isEmpty()) {
        return new Outcome(409, null, false, conflicts);
      }
      List<Object> before = c.content();
      c.phone = phone;
      c.email = email;
      c.firstName = patched(c.firstName, body, "firstName", preserve);
      c.lastName = patched(c.lastName, body, "lastName", preserve);
      c.timezone = patched(c.timezone, body, "timezone", preserve);
      c.tags.addAll(tags);
      c.tags.removeAll(removeTags);
      custom.forEach(
          (name, value) -> {
            String text = value == null ? null : value.toString();
            if (preserve) {
              if (text != null && (c.custom.get(name) == null || c.custom.get(name).isEmpty())) {
                c.custom.put(name, text);
              }
            } else if (text == null) {
              c.custom.remove(name);
            } else {
              c.custom.put(name, text);
            }
          });
      return new Outcome(200, c, !before.equals(c.content()));
    }

    // Merge Patch: absent stays, null clears (with preserveExisting: changes nothing), a value
    // overwrites (with preserveExisting: only an empty field); "" clears a name.
    private static String patched(
        String current, Map<String, Object> body, String field, boolean preserve) {
      if (!body.containsKey(field)) {
        return current;
      }
      Object value = body.get(field);
      if (preserve && current != null) {
        return current;
      }
      if (value == null) {
        return null;
      }
      String text = ((String) value).trim();
      if (field.equals("phone")) {
        text = e164((String) value);
      }
      return emptyToNull(text);
    }

    private java.util.stream.Stream<Contact> active() {
      return contacts.stream().filter(c -> !c.deleted);
    }

    // Present values overwrite; with preserveExisting only where the contact has nothing; ""
    // clears.
    private static String write(String current, String requested, boolean preserve) {
      if (requested == null || (preserve && current != null)) {
        return current;
      }
      return emptyToNull(requested);
    }

    private static boolean sameEmail(String a, String b) {
      return b != null && a.trim().equalsIgnoreCase(b.trim());
    }

    private static String trimmed(Object value) {
      return value == null ? null : ((String) value).trim();
    }

    private static String emptyToNull(String value) {
      return value == null || value.isEmpty() ? null : value;
    }

    private static String e164(String written) {
      for (String[] phone : PHONES) {
        if (phone[0].equals(written) || phone[1].equals(written)) {
          return phone[2];
        }
      }
      throw new IllegalArgumentException(written);
    }

    private static String zoneOf(String e164) {
      for (String[] phone : PHONES) {
        if (phone[2].equals(e164)) {
          return phone[3];
        }
      }
      return null;
    }
  }
}
