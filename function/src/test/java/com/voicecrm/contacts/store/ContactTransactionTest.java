package com.voicecrm.contacts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import com.voicecrm.contacts.domain.Idempotency;
import com.voicecrm.contacts.domain.Identifier;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The items and conditions of a contact write, built without a table. */
class ContactTransactionTest {

  private static final Instant AT = Instant.parse("2026-01-02T03:04:05Z");
  private static final Identifier PHONE = Identifier.phone("+14155550100");
  private static final Identifier EMAIL = Identifier.email("ada@example.com");

  @Test
  void create_putsTheContactFirst_thenClaimsAndTags_eachOnlyIfAbsent_thenItsMemberships() {
    ContactTransaction transaction =
        ContactTransaction.of(
            "t",
            new ContactWrite(
                contact(0), null, List.of(PHONE, EMAIL), List.of(), Set.of("vip"), AT));

    List<TransactWriteItem> items = transaction.items();
    assertEquals(5, items.size());
    Put contact = items.get(0).put();
    assertEquals("attribute_not_exists(pk)", contact.conditionExpression());
    assertEquals(
        ReturnValuesOnConditionCheckFailure.ALL_OLD, contact.returnValuesOnConditionCheckFailure());
    assertEquals(transaction.contactItem(), contact.item());
    assertEquals(
        AttributeValue.fromS("WS#w1#PHONE#+14155550100"), items.get(1).put().item().get("pk"));
    assertEquals(AttributeValue.fromS("c1"), items.get(1).put().item().get("contactId"));
    assertEquals(
        AttributeValue.fromS("WS#w1#EMAIL#ada@example.com"), items.get(2).put().item().get("pk"));
    assertEquals(AttributeValue.fromS("WS#w1#TAG#vip"), items.get(3).put().item().get("pk"));
    for (TransactWriteItem item : items.subList(1, 4)) {
      assertEquals("attribute_not_exists(pk)", item.put().conditionExpression());
      assertEquals("t", item.put().tableName());
    }
    // The tag list index's entry, unconditional: the contact's own condition orders it.
    assertEquals(Keys.membershipKey("c1", "vip").get("sk"), items.get(4).put().item().get("sk"));
    assertNull(items.get(4).put().conditionExpression());
    assertFalse(transaction.contactAlone());
  }

  @Test
  void updateOfTheContactAlone_isOnePutConditionedOnTheVersionRead() {
    ContactTransaction transaction =
        ContactTransaction.of(
            "t", new ContactWrite(untagged(4), 3L, List.of(), List.of(), Set.of(), AT));

    assertTrue(transaction.contactAlone());
    Put put = transaction.contactPut();
    assertEquals("version = :expectedVersion", put.conditionExpression());
    assertEquals(
        Map.of(":expectedVersion", AttributeValue.fromN("3")), put.expressionAttributeValues());
    assertEquals(AttributeValue.fromN("4"), put.item().get("version"));
  }

  @Test
  void anIdempotencyRecord_ridesSecond_andMakesAContactAloneUpdateATransaction() {
    Idempotency.Record record =
        new Idempotency.Claim(Idempotency.RecordId.of("k1", "ab12"), "fp")
            .recording(
                new Idempotency.Answer(200, "application/json", "{}", null, "\"4\""), "r1", AT);
    ContactTransaction transaction =
        ContactTransaction.of(
            "t",
            new ContactWrite(untagged(4), 3L, List.of(), List.of(), Set.of(), AT)
                .withRecord(record));

    assertFalse(transaction.contactAlone());
    List<TransactWriteItem> items = transaction.items();
    assertEquals(2, items.size());
    assertEquals("version = :expectedVersion", items.get(0).put().conditionExpression());
    Put kept = items.get(1).put();
    assertEquals(AttributeValue.fromS("IDEMPOTENCY#k1#ab12"), kept.item().get("pk"));
    assertEquals(
        "attribute_not_exists(pk) OR expiresAt <= :idempotencyNow", kept.conditionExpression());
    assertEquals(
        AttributeValue.fromN(Long.toString(AT.getEpochSecond())),
        kept.expressionAttributeValues().get(":idempotencyNow"));
    assertEquals("t", kept.tableName());
  }

  @Test
  void release_deletesTheClaimOnlyWhileTheContactHoldsIt() {
    ContactTransaction transaction =
        ContactTransaction.of(
            "t", new ContactWrite(contact(1), 0L, List.of(), List.of(EMAIL), Set.of(), AT));

    var delete = transaction.items().get(1).delete();
    assertNotNull(delete);
    assertEquals(Keys.identifierKey("w1", EMAIL), delete.key());
    assertEquals("contactId = :contactId", delete.conditionExpression());
    assertEquals(
        Map.of(":contactId", AttributeValue.fromS("c1")), delete.expressionAttributeValues());
  }

  @Test
  void tagsBeyondTheTransactionLimit_areRegisteredApart_inTransactionsOfAHundred() {
    Set<String> tags = new LinkedHashSet<>();
    IntStream.range(0, 250).forEach(i -> tags.add("tag-" + i));
    ContactTransaction transaction =
        ContactTransaction.of(
            "t", new ContactWrite(contact(0), null, List.of(PHONE), List.of(), tags, AT));

    assertEquals(3, transaction.items().size()); // the contact, its phone, its tag's membership
    assertEquals(tags, transaction.tagsRegisteredApart());
    List<List<TransactWriteItem>> registrations = TagOverflow.transactions("t", "w1", tags, AT);
    assertEquals(List.of(100, 100, 50), registrations.stream().map(List::size).toList());
    var first = registrations.get(0).get(0).update();
    assertEquals(Keys.tagKey("w1", "tag-0"), first.key());
    assertEquals(
        Map.of("#createdAt", "createdAt", "#ws", "workspaceId", "#tag", "tag"),
        first.expressionAttributeNames());
  }

  @Test
  void contactTooLargeForAnItem_isRefusedBeforeAnyCall() {
    Contact huge = contact(0, Map.of("f1", "x".repeat(400 * 1024)));

    assertThrows(
        ContactStore.TooLarge.class,
        () ->
            ContactTransaction.of(
                "t", new ContactWrite(huge, null, List.of(), List.of(), Set.of(), AT)));
  }

  @Test
  void activeContact_keepsRoomForItsDeletion() {
    // Just under the item limit, but not under it less the delete's headroom.
    String value = "x".repeat((int) (ItemSize.MAX_ITEM_BYTES - 600));
    Contact active = contact(0, Map.of("f1", value));
    ContactWrite write = new ContactWrite(active, null, List.of(), List.of(), Set.of(), AT);
    assertThrows(ContactStore.TooLarge.class, () -> ContactTransaction.of("t", write));

    Contact deleted = active.softDeleted(AT);
    ContactTransaction deletion =
        ContactTransaction.of(
            "t", new ContactWrite(deleted, 0L, List.of(), List.of(), Set.of(), AT));
    assertTrue(ItemSize.bytes(deletion.contactItem()) <= ItemSize.MAX_ITEM_BYTES);
  }

  private static Contact contact(long version) {
    return contact(version, Map.of("f1", "Web"));
  }

  private static Contact untagged(long version) {
    return new Contact(
        "c1",
        "w1",
        "a1",
        "Ada",
        null,
        null,
        "+14155550100",
        null,
        List.of(),
        Map.of(),
        AT,
        AT,
        null,
        version);
  }

  private static Contact contact(long version, Map<String, String> customFields) {
    return new Contact(
        "c1",
        "w1",
        "a1",
        "Ada",
        null,
        "ada@example.com",
        "+14155550100",
        null,
        List.of("vip"),
        customFields,
        AT,
        AT,
        null,
        version);
  }
}
