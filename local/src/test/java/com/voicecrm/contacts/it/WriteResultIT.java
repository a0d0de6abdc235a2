package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import com.voicecrm.contacts.domain.ContactStore.WriteResult;
import com.voicecrm.contacts.domain.Identifier;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.it.FaultInjector.Kind;
import com.voicecrm.contacts.it.FaultInjector.Phase;
import com.voicecrm.contacts.it.FaultInjector.Rule;
import com.voicecrm.contacts.store.DynamoContactStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The store's write against the local DynamoDB-compatible server: it tells a retry of its own
 * applied write (learnt from the item DynamoDB returns with the refused condition) from a race lost
 * to another request, for the single PutItem and for the transaction.
 */
class WriteResultIT {

  private static final Instant T0 = Instant.parse("2026-03-04T05:06:07.008Z");

  private static FaultInjector faults;
  private static DynamoDbClient client;
  private static Rig rig;
  private static ContactStore store;

  @BeforeAll
  static void open() {
    faults = new FaultInjector();
    client = Rig.clientWith(faults);
    rig = Rig.open(client, RetryPolicy.DEFAULT);
    store = new DynamoContactStore(client, rig.table);
  }

  @AfterAll
  static void close() {
    rig.close();
    client.close();
  }

  @AfterEach
  void disarm() {
    faults.disarm();
  }

  @Test
  void write_isWritten_whenEveryConditionHolds() {
    Contact contact = contact(0, "Ada");

    assertEquals(WriteResult.WRITTEN, store.write(create(contact)));
    assertEquals(contact, store.findContact(contact.id()).orElseThrow());
  }

  @Test
  void create_isAlreadyWritten_whenTheSdkRetriesATransactionTheServerApplied() {
    // GIVEN the server applies the create but its answer fails, so the SDK sends it again
    Contact contact = contact(0, "Ada");
    faults.arm(List.of(rule("TransactWriteItems", Phase.AFTER_SEND)));

    // WHEN the retry finds every condition failed on the state the first attempt wrote
    WriteResult result = store.write(create(contact));

    // THEN the store says it was this write's own, not a lost race
    assertEquals(WriteResult.ALREADY_WRITTEN, result);
    assertEquals(1, faults.injected().size());
    assertEquals(contact, store.findContact(contact.id()).orElseThrow());
  }

  @Test
  void update_isAlreadyWritten_whenTheSdkRetriesAPutItemTheServerApplied() {
    // GIVEN an untagged contact, so its update touches the contact item alone: one PutItem
    Contact contact = untagged(contact(0, "Ada"));
    store.write(create(contact));
    Contact updated = contact(1, "Augusta", contact);
    faults.arm(List.of(rule("PutItem", Phase.AFTER_SEND)));

    assertEquals(WriteResult.ALREADY_WRITTEN, store.write(update(updated, contact)));
    assertEquals(1, faults.injected().size());
    assertEquals(updated, store.findContact(contact.id()).orElseThrow());
  }

  @Test
  void update_isAlreadyWritten_whenTheSdkRetriesATaggedContactsTransactionTheServerApplied() {
    // GIVEN a tagged contact: its update also puts its tag membership, so it is a transaction
    Contact contact = contact(0, "Ada");
    store.write(create(contact));
    Contact updated = contact(1, "Augusta", contact);
    faults.arm(List.of(rule("TransactWriteItems", Phase.AFTER_SEND)));

    // WHEN the retry finds the contact item, list index keys included, as this write puts it
    assertEquals(WriteResult.ALREADY_WRITTEN, store.write(update(updated, contact)));
    assertEquals(1, faults.injected().size());
    assertEquals(updated, store.findContact(contact.id()).orElseThrow());
    Map<String, AttributeValue> membership =
        rig.plain
            .getItem(
                r ->
                    r.tableName(rig.table)
                        .key(
                            Map.of(
                                "pk",
                                AttributeValue.fromS("CONTACT#" + contact.id()),
                                "sk",
                                AttributeValue.fromS("TAG#vip"))))
            .item();
    assertEquals(
        AttributeValue.fromS("2026-03-04T05:06:07.009Z#" + contact.id()), membership.get("listSk"));
  }

  @Test
  void identicalWrite_isAlreadyWritten_afterItsAnswerWasLost() {
    // GIVEN a soft delete (contact and released claims, a transaction) applied, its answer lost
    Contact contact = contact(0, "Ada");
    store.write(create(contact));
    Contact deleted = contact.softDeleted(T0.plusSeconds(1));
    ContactWrite delete =
        new ContactWrite(deleted, 0L, List.of(), identifiers(contact), Set.of(), T0);
    faults.arm(List.of(rule("TransactWriteItems", Phase.RESPONSE_LOST)));
    assertThrows(ContactStore.Unavailable.class, () -> store.write(delete));
    faults.disarm();

    // WHEN the caller sends the same write again, THEN it learns the first one landed
    assertEquals(WriteResult.ALREADY_WRITTEN, store.write(delete));
    assertEquals(deleted, store.findContact(contact.id()).orElseThrow());
    assertFalse(rig.plain.getItem(r -> r.tableName(rig.table).key(claimKey(contact))).hasItem());
  }

  @Test
  void update_isAConflict_whenAnotherRequestWroteTheVersionFirst() {
    Contact contact = contact(0, "Ada");
    store.write(create(contact));
    Contact theirs = contact(1, "Grace", contact);
    Contact mine = contact(1, "Augusta", contact);
    store.write(update(theirs, contact));

    assertThrows(ContactStore.Conflict.class, () -> store.write(update(mine, contact)));
    assertEquals(theirs, store.findContact(contact.id()).orElseThrow());
  }

  @Test
  void create_isAConflict_whenAnotherContactHoldsThePhone() {
    Contact first = contact(0, "Ada");
    store.write(create(first));
    Contact second = withPhoneOf(first);

    assertThrows(ContactStore.Conflict.class, () -> store.write(create(second)));
    assertTrue(store.findContact(second.id()).isEmpty());
  }

  @Test
  void storedContact_keepsTheItemFormat() {
    Contact contact = contact(0, "Ada");
    store.write(create(contact));

    Map<String, AttributeValue> item =
        rig.plain
            .getItem(
                r ->
                    r.tableName(rig.table)
                        .key(
                            Map.of(
                                "pk",
                                AttributeValue.fromS("CONTACT#" + contact.id()),
                                "sk",
                                AttributeValue.fromS("CONTACT"))))
            .item();
    assertEquals(
        Map.ofEntries(
            Map.entry("pk", AttributeValue.fromS("CONTACT#" + contact.id())),
            Map.entry("sk", AttributeValue.fromS("CONTACT")),
            Map.entry("id", AttributeValue.fromS(contact.id())),
            Map.entry("workspaceId", AttributeValue.fromS(contact.workspaceId())),
            Map.entry("accountId", AttributeValue.fromS("acc_1")),
            Map.entry("firstName", AttributeValue.fromS("Ada")),
            Map.entry("email", AttributeValue.fromS(contact.email())),
            Map.entry("phone", AttributeValue.fromS(contact.phone())),
            Map.entry("timezone", AttributeValue.fromS("Europe/London")),
            Map.entry("tags", AttributeValue.fromL(List.of(AttributeValue.fromS("vip")))),
            Map.entry(
                "customFields", AttributeValue.fromM(Map.of("f1", AttributeValue.fromS("Web")))),
            Map.entry("createdAt", AttributeValue.fromS("2026-03-04T05:06:07.008Z")),
            Map.entry("updatedAt", AttributeValue.fromS("2026-03-04T05:06:07.008Z")),
            Map.entry("version", AttributeValue.fromN("0")),
            // The list indexes' keys: the workspace partition and the (updatedAt, id) position.
            Map.entry("listPk", AttributeValue.fromS("WS#" + contact.workspaceId())),
            Map.entry("listSk", AttributeValue.fromS("2026-03-04T05:06:07.008Z#" + contact.id()))),
        item);
  }

  private static final String WORKSPACE = UUID.randomUUID().toString();
  private static final AtomicInteger PHONES = new AtomicInteger();

  private static Contact contact(long version, String firstName) {
    String id = UUID.randomUUID().toString();
    return new Contact(
        id,
        WORKSPACE,
        "acc_1",
        firstName,
        null,
        id.substring(0, 8) + "@example.com",
        "+1415555" + String.format("%04d", PHONES.incrementAndGet()),
        "Europe/London",
        List.of("vip"),
        Map.of("f1", "Web"),
        T0,
        T0,
        null,
        version);
  }

  private static Contact contact(long version, String firstName, Contact of) {
    return new Contact(
        of.id(),
        of.workspaceId(),
        of.accountId(),
        firstName,
        of.lastName(),
        of.email(),
        of.phone(),
        of.timezone(),
        of.tags(),
        of.customFieldValues(),
        of.createdAt(),
        of.updatedAt().plusMillis(version),
        null,
        version);
  }

  private static Contact untagged(Contact contact) {
    return new Contact(
        contact.id(),
        contact.workspaceId(),
        contact.accountId(),
        contact.firstName(),
        contact.lastName(),
        contact.email(),
        contact.phone(),
        contact.timezone(),
        List.of(),
        contact.customFieldValues(),
        contact.createdAt(),
        contact.updatedAt(),
        null,
        contact.version());
  }

  private static Contact withPhoneOf(Contact holder) {
    Contact other = contact(0, "Other");
    return new Contact(
        other.id(),
        other.workspaceId(),
        other.accountId(),
        other.firstName(),
        null,
        other.email(),
        holder.phone(),
        other.timezone(),
        other.tags(),
        other.customFieldValues(),
        T0,
        T0,
        null,
        0);
  }

  /** The first call of {@code operation} fails with a 500 at {@code phase}. */
  private static Rule rule(String operation, Phase phase) {
    return new Rule(operation, phase, Kind.INTERNAL_ERROR, Set.of(1));
  }

  private static ContactWrite create(Contact contact) {
    // A tag new to the workspace per contact, so a create is a transaction of four items.
    Set<String> newTag = Set.of("tag-" + contact.id());
    return new ContactWrite(contact, null, identifiers(contact), List.of(), newTag, T0);
  }

  private static ContactWrite update(Contact updated, Contact from) {
    return new ContactWrite(updated, from.version(), List.of(), List.of(), Set.of(), T0);
  }

  private static List<Identifier> identifiers(Contact contact) {
    return List.of(Identifier.phone(contact.phone()), Identifier.email(contact.email()));
  }

  private static Map<String, AttributeValue> claimKey(Contact contact) {
    return Map.of(
        "pk",
        AttributeValue.fromS("WS#" + contact.workspaceId() + "#PHONE#" + contact.phone()),
        "sk",
        AttributeValue.fromS("IDENTIFIER"));
  }
}
