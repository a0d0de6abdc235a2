package com.voicecrm.contacts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import com.voicecrm.contacts.domain.ListPosition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The list indexes' keys, on the contact item and its tag memberships, and the memberships a write
 * carries, without I/O.
 */
class ListIndexKeysTest {

  private static final String WS = "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c";
  private static final String ID = "4b0c7f3e-8a2d-4e1f-9c3b-5d6e7f8a9b0c";
  private static final Instant AT = Instant.parse("2024-01-15T10:30:00Z");

  private static Contact contact(List<String> tags) {
    return new Contact(
        ID, WS, "acc", "Ann", null, null, "+14155551234", null, tags, Map.of(), AT, AT, null, 7);
  }

  @Test
  void sortKey_isFixedWidth_soStringOrderIsTimeOrder() {
    assertEquals("2024-01-15T10:30:00.000Z#" + ID, ListIndexKeys.sortKey(new ListPosition(AT, ID)));
    assertTrue(
        ListIndexKeys.sortKey(new ListPosition(AT.plusMillis(999), ID))
                .compareTo(ListIndexKeys.sortKey(new ListPosition(AT.plusSeconds(1), ID)))
            < 0);
    assertEquals(
        new ListPosition(AT, ID),
        ListIndexKeys.position(ListIndexKeys.sortKey(new ListPosition(AT, ID))));
  }

  @Test
  void afterAnInstant_sortsAfterEveryIdAtIt_andBeforeTheNextMillisecond() {
    String after = ListIndexKeys.sortKey(ListPosition.after(AT));

    assertTrue(
        after.compareTo(
                ListIndexKeys.sortKey(new ListPosition(AT, "ffffffff-ffff-4fff-bfff-ffffffffffff")))
            > 0);
    assertTrue(after.compareTo(ListIndexKeys.sortKey(new ListPosition(AT.plusMillis(1), ID))) < 0);
  }

  @Test
  void anActiveContact_isInTheWorkspaceIndex_aDeletedOneIsNot() {
    Map<String, AttributeValue> active =
        ContactItem.SCHEMA.itemToMap(ContactItem.of(contact(List.of())), true);
    Map<String, AttributeValue> deleted =
        ContactItem.SCHEMA.itemToMap(
            ContactItem.of(contact(List.of()).softDeleted(AT.plusSeconds(1))), true);

    assertEquals("WS#" + WS, active.get("listPk").s());
    assertEquals("2024-01-15T10:30:00.000Z#" + ID, active.get("listSk").s());
    assertNull(deleted.get("listPk"));
    assertEquals(contact(List.of()), ContactItem.SCHEMA.mapToItem(active).toContact());
  }

  @Test
  void anActiveContactsWrite_putsAMembershipPerTag_andDeletesTheRemovedOnes() {
    ContactWrite write =
        new ContactWrite(
            contact(List.of("a", "b")), 6L, List.of(), List.of(), Set.of(), AT, Set.of("gone"));

    List<TransactWriteItem> items = ContactTransaction.of("t", write).items();

    assertEquals(4, items.size());
    Map<String, AttributeValue> a = items.get(1).put().item();
    assertEquals("CONTACT#" + ID, a.get("pk").s());
    assertEquals("TAG#a", a.get("sk").s());
    assertEquals("WS#" + WS + "#TAG#a", a.get("tagListPk").s());
    assertEquals("2024-01-15T10:30:00.000Z#" + ID, a.get("listSk").s());
    assertEquals(WS, a.get("workspaceId").s());
    assertEquals("TAG#gone", items.get(3).delete().key().get("sk").s());
    assertEquals(List.of(), ContactTransaction.of("t", write).membershipsApart());
  }

  @Test
  void aDeletedContactsWrite_deletesEveryMembership() {
    Contact deleted = contact(List.of("a", "b")).softDeleted(AT.plusSeconds(1));

    List<TransactWriteItem> items =
        ContactTransaction.of(
                "t", new ContactWrite(deleted, 7L, List.of(), List.of(), Set.of(), AT))
            .items();

    assertEquals(3, items.size());
    assertTrue(items.subList(1, 3).stream().allMatch(w -> w.delete() != null));
  }

  @Test
  void membershipsBeyondTheRoom_followInTransactionsGuardedByTheWrittenVersion() {
    List<String> tags = IntStream.range(0, 250).mapToObj(i -> "t" + i).toList();
    ContactWrite write = new ContactWrite(contact(tags), 6L, List.of(), List.of(), Set.of(), AT);

    ContactTransaction transaction = ContactTransaction.of("t", write);
    List<List<TransactWriteItem>> overflow =
        TagOverflow.memberships("t", write.contact(), transaction.membershipsApart());

    assertEquals(100, transaction.items().size());
    assertEquals(List.of(100, 53), overflow.stream().map(List::size).toList());
    for (List<TransactWriteItem> batch : overflow) {
      assertNotNull(batch.get(0).conditionCheck());
      assertEquals("CONTACT", batch.get(0).conditionCheck().key().get("sk").s());
      assertEquals(
          "7", batch.get(0).conditionCheck().expressionAttributeValues().get(":written").n());
    }
    assertEquals(250, 99 + overflow.stream().mapToInt(b -> b.size() - 1).sum());
  }
}
