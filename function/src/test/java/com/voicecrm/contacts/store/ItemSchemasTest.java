package com.voicecrm.contacts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.CustomFieldDefinition;
import com.voicecrm.contacts.domain.Identifier;
import com.voicecrm.contacts.domain.Workspace;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Every attribute of every item schema, stored as the table has always held it (the format the
 * hand-written schemas before the enhanced client wrote, which items already in tables have) and
 * read back to the same record and domain value.
 */
class ItemSchemasTest {

  private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05.006Z");
  private static final Instant UPDATED = Instant.parse("2026-01-02T03:04:06Z");
  private static final Instant DELETED = Instant.parse("2026-01-03T00:00:00.100Z");

  @Test
  void contact_everyAttribute() {
    Contact contact =
        new Contact(
            "c1",
            "w1",
            "a1",
            "Ada",
            "",
            "ada@example.com",
            "+442079460958",
            "Europe/London",
            List.of("vip", "Lead"),
            Map.of("f1", "Website", "f2", "250.50"),
            CREATED,
            UPDATED,
            DELETED,
            7);
    Map<String, AttributeValue> stored =
        Map.ofEntries(
            s("pk", "CONTACT#c1"),
            s("sk", "CONTACT"),
            s("id", "c1"),
            s("workspaceId", "w1"),
            s("accountId", "a1"),
            s("firstName", "Ada"),
            s("lastName", ""),
            s("email", "ada@example.com"),
            s("phone", "+442079460958"),
            s("timezone", "Europe/London"),
            Map.entry("tags", list("Lead", "vip")),
            Map.entry("customFields", map(Map.of("f1", "Website", "f2", "250.50"))),
            s("createdAt", "2026-01-02T03:04:05.006Z"),
            s("updatedAt", "2026-01-02T03:04:06Z"),
            s("deletedAt", "2026-01-03T00:00:00.100Z"),
            Map.entry("version", AttributeValue.fromN("7")),
            s("listSk", "2026-01-02T03:04:06.000Z#c1"));

    assertStoredAs(ContactItem.SCHEMA, ContactItem.of(contact), stored);
    // Every attribute but the workspace list index's partition, which only an active contact has.
    Set<String> everyAttribute = new HashSet<>(stored.keySet());
    everyAttribute.add("listPk");
    assertEquals(everyAttribute, Set.copyOf(ContactItem.SCHEMA.attributeNames()));
    assertEquals(contact, ContactItem.SCHEMA.mapToItem(stored).toContact());
  }

  @Test
  void contact_leavesOutWhatItDoesNotHave_andReadsNullAndAbsentAsNothing() {
    Contact sparse =
        new Contact(
            "c2",
            "w1",
            "a1",
            null,
            null,
            null,
            "+14155550100",
            null,
            List.of(),
            Map.of(),
            CREATED,
            CREATED,
            null,
            0);
    Map<String, AttributeValue> stored =
        Map.ofEntries(
            s("pk", "CONTACT#c2"),
            s("sk", "CONTACT"),
            s("id", "c2"),
            s("workspaceId", "w1"),
            s("accountId", "a1"),
            s("phone", "+14155550100"),
            Map.entry("tags", AttributeValue.fromL(List.of())),
            Map.entry("customFields", AttributeValue.fromM(Map.of())),
            s("createdAt", "2026-01-02T03:04:05.006Z"),
            s("updatedAt", "2026-01-02T03:04:05.006Z"),
            Map.entry("version", AttributeValue.fromN("0")),
            s("listPk", "WS#w1"),
            s("listSk", "2026-01-02T03:04:05.006Z#c2"));
    assertStoredAs(ContactItem.SCHEMA, ContactItem.of(sparse), stored);

    // An item written before tags, custom fields and version existed, with an explicit NULL.
    Map<String, AttributeValue> old = new HashMap<>(stored);
    old.remove("tags");
    old.remove("customFields");
    old.remove("version");
    old.put("firstName", AttributeValue.fromNul(true));
    ContactItem read = ContactItem.SCHEMA.mapToItem(old);
    assertNull(read.firstName());
    assertNull(read.tags());
    assertEquals(sparse, read.toContact());
  }

  @Test
  void identifier_everyAttribute() {
    IdentifierItem claim = IdentifierItem.claim("w1", Identifier.email("Ada@Example.com"), "c1");
    assertEveryAttribute(
        IdentifierItem.SCHEMA,
        claim,
        Map.of(
            "pk", AttributeValue.fromS("WS#w1#EMAIL#ada@example.com"),
            "sk", AttributeValue.fromS("IDENTIFIER"),
            "workspaceId", AttributeValue.fromS("w1"),
            "contactId", AttributeValue.fromS("c1")));
    assertEquals(
        "WS#w1#PHONE#+14155550100",
        IdentifierItem.claim("w1", Identifier.phone("+14155550100"), "c1").pk());
  }

  @Test
  void tag_everyAttribute() {
    assertEveryAttribute(
        TagItem.SCHEMA,
        TagItem.registration("w1", "vip", CREATED),
        Map.of(
            "pk", AttributeValue.fromS("WS#w1#TAG#vip"),
            "sk", AttributeValue.fromS("TAG"),
            "workspaceId", AttributeValue.fromS("w1"),
            "tag", AttributeValue.fromS("vip"),
            "createdAt", AttributeValue.fromS("2026-01-02T03:04:05.006Z")));
  }

  @Test
  void workspace_everyAttribute() {
    WorkspaceItem item =
        WorkspaceItem.of("w1", "a1", "Sales", "America/New_York", Map.of("f1", "Lead Source"));
    Map<String, AttributeValue> stored =
        Map.of(
            "pk", AttributeValue.fromS("WORKSPACE#w1"),
            "sk", AttributeValue.fromS("WORKSPACE"),
            "id", AttributeValue.fromS("w1"),
            "accountId", AttributeValue.fromS("a1"),
            "name", AttributeValue.fromS("Sales"),
            "defaultTimezone", AttributeValue.fromS("America/New_York"),
            "customFields", map(Map.of("f1", "Lead Source")));
    assertEveryAttribute(WorkspaceItem.SCHEMA, item, stored);
    assertEquals(
        new Workspace(
            "w1",
            "a1",
            "Sales",
            "America/New_York",
            List.of(new CustomFieldDefinition("f1", "Lead Source"))),
        WorkspaceItem.SCHEMA.mapToItem(stored).toWorkspace());
  }

  @Test
  void account_everyAttribute() {
    assertEveryAttribute(
        AccountItem.SCHEMA,
        AccountItem.of("a1", "Acme"),
        Map.of(
            "pk", AttributeValue.fromS("ACCOUNT#a1"),
            "sk", AttributeValue.fromS("ACCOUNT"),
            "id", AttributeValue.fromS("a1"),
            "name", AttributeValue.fromS("Acme")));
  }

  @Test
  void apiKey_everyAttribute() {
    String hash = "7d1a3c5b9e2f" + "0".repeat(52);
    ApiKeyRecord record = new ApiKeyRecord(hash, "a1", "w1", "pro", "CRM sync", CREATED, UPDATED);
    Map<String, AttributeValue> stored =
        Map.of(
            "pk", AttributeValue.fromS("APIKEY#" + hash),
            "sk", AttributeValue.fromS("APIKEY"),
            "keyId", AttributeValue.fromS("7d1a3c5b9e2f"),
            "accountId", AttributeValue.fromS("a1"),
            "workspaceId", AttributeValue.fromS("w1"),
            "usagePlan", AttributeValue.fromS("pro"),
            "description", AttributeValue.fromS("CRM sync"),
            "createdAt", AttributeValue.fromS("2026-01-02T03:04:05.006Z"),
            "revokedAt", AttributeValue.fromS("2026-01-02T03:04:06Z"));
    assertEveryAttribute(ApiKeyItem.SCHEMA, ApiKeyItem.of(record), stored);
    assertEquals(record, ApiKeyItem.SCHEMA.mapToItem(stored).toRecord());
  }

  @Test
  void membership_everyAttribute() {
    Contact contact =
        new Contact(
            "c1",
            "w1",
            "a1",
            null,
            null,
            null,
            "+14155550100",
            null,
            List.of("vip"),
            Map.of(),
            CREATED,
            UPDATED,
            null,
            3);
    Map<String, AttributeValue> stored =
        Map.ofEntries(
            s("pk", "CONTACT#c1"),
            s("sk", "TAG#vip"),
            s("workspaceId", "w1"),
            s("contactId", "c1"),
            s("tag", "vip"),
            s("tagListPk", "WS#w1#TAG#vip"),
            s("listSk", "2026-01-02T03:04:06.000Z#c1"));

    assertEveryAttribute(MembershipItem.SCHEMA, MembershipItem.of(contact, "vip"), stored);
  }

  @Test
  void apiKey_ofAnAccountKey_leavesOutTheWorkspaceAndRevocation() {
    String hash = "ab".repeat(32);
    ApiKeyRecord record = new ApiKeyRecord(hash, "a1", null, "free", "ops", CREATED, null);
    Map<String, AttributeValue> stored = ApiKeyItem.SCHEMA.itemToMap(ApiKeyItem.of(record), true);
    assertEquals(
        Set.of("pk", "sk", "keyId", "accountId", "usagePlan", "description", "createdAt"),
        stored.keySet());
    assertEquals(record, ApiKeyItem.SCHEMA.mapToItem(stored).toRecord());
  }

  /** The item is stored exactly as {@code stored} and read back to the same record. */
  private static <T> void assertStoredAs(
      TableSchema<T> schema, T item, Map<String, AttributeValue> stored) {
    assertEquals(stored, schema.itemToMap(item, true));
    assertEquals(item, schema.mapToItem(stored));
  }

  /**
   * As {@link #assertStoredAs}, for an item with every attribute the schema declares: an attribute
   * added to a schema later fails here until it is tested too.
   */
  private static <T> void assertEveryAttribute(
      TableSchema<T> schema, T item, Map<String, AttributeValue> stored) {
    assertStoredAs(schema, item, stored);
    assertEquals(stored.keySet(), Set.copyOf(schema.attributeNames()));
  }

  private static Map.Entry<String, AttributeValue> s(String name, String value) {
    return Map.entry(name, AttributeValue.fromS(value));
  }

  private static AttributeValue list(String... values) {
    return AttributeValue.fromL(List.of(values).stream().map(AttributeValue::fromS).toList());
  }

  private static AttributeValue map(Map<String, String> values) {
    Map<String, AttributeValue> map = new HashMap<>();
    values.forEach((k, v) -> map.put(k, AttributeValue.fromS(v)));
    return AttributeValue.fromM(map);
  }
}
