package com.voicecrm.contacts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.Contact;
import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.ContactStore.ContactWrite;
import com.voicecrm.contacts.domain.ListPosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/** The list indexes' keys and the tag memberships a write carries, without I/O. */
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
    Map<String, AttributeValue> active = new HashMap<>();
    Map<String, AttributeValue> deleted = new HashMap<>();

    ListIndexKeys.addTo(active, contact(List.of()));
    ListIndexKeys.addTo(deleted, contact(List.of()).softDeleted(AT.plusSeconds(1)));

    assertEquals("WS#" + WS, active.get("listPk").s());
    assertEquals("2024-01-15T10:30:00.000Z#" + ID, active.get("listSk").s());
    assertNull(deleted.get("listPk"));
  }

  @Test
  void anActiveContactsWrite_putsAMembershipPerTag_andDeletesTheRemovedOnes() {
    ContactWrite write =
        new ContactWrite(
            contact(List.of("a", "b")), 6L, List.of(), List.of(), Set.of(), AT, Set.of("gone"));

    ListIndexKeys.Memberships memberships = ListIndexKeys.memberships("t", write, 99);

    assertEquals(3, memberships.inTransaction().size());
    Map<String, AttributeValue> a = memberships.inTransaction().get(0).put().item();
    assertEquals("CONTACT#" + ID, a.get("pk").s());
    assertEquals("TAG#a", a.get("sk").s());
    assertEquals("WS#" + WS + "#TAG#a", a.get("tagListPk").s());
    assertEquals("2024-01-15T10:30:00.000Z#" + ID, a.get("listSk").s());
    assertEquals(WS, a.get("workspaceId").s());
    assertEquals("TAG#gone", memberships.inTransaction().get(2).delete().key().get("sk").s());
    assertEquals(List.of(), memberships.overflowTransactions());
  }

  @Test
  void aDeletedContactsWrite_deletesEveryMembership() {
    Contact deleted = contact(List.of("a", "b")).softDeleted(AT.plusSeconds(1));

    ListIndexKeys.Memberships memberships =
        ListIndexKeys.memberships(
            "t", new ContactWrite(deleted, 7L, List.of(), List.of(), Set.of(), AT), 99);

    assertEquals(2, memberships.inTransaction().size());
    assertTrue(memberships.inTransaction().stream().allMatch(w -> w.delete() != null));
  }

  @Test
  void membershipsBeyondTheRoom_followInTransactionsGuardedByTheWrittenVersion() {
    List<String> tags = IntStream.range(0, 250).mapToObj(i -> "t" + i).toList();
    ContactWrite write = new ContactWrite(contact(tags), 6L, List.of(), List.of(), Set.of(), AT);

    ListIndexKeys.Memberships memberships = ListIndexKeys.memberships("t", write, 40);

    assertEquals(40, memberships.inTransaction().size());
    List<List<TransactWriteItem>> overflow = memberships.overflowTransactions();
    assertEquals(List.of(100, 100, 13), overflow.stream().map(List::size).toList());
    for (List<TransactWriteItem> batch : overflow) {
      assertNotNull(batch.get(0).conditionCheck());
      assertEquals("CONTACT", batch.get(0).conditionCheck().key().get("sk").s());
      assertEquals(
          "7", batch.get(0).conditionCheck().expressionAttributeValues().get(":written").n());
    }
    assertEquals(250, 40 + overflow.stream().mapToInt(b -> b.size() - 1).sum());
  }

  @Test
  void overflow_stopsAtALostGuard_andNeverFailsTheWrittenContact() {
    List<String> tags = IntStream.range(0, 250).mapToObj(i -> "t" + i).toList();
    ListIndexKeys.Memberships memberships =
        ListIndexKeys.memberships(
            "t", new ContactWrite(contact(tags), 6L, List.of(), List.of(), Set.of(), AT), 0);
    List<List<TransactWriteItem>> ran = new ArrayList<>();

    ListIndexKeys.writeOverflow(
        memberships,
        batch -> {
          ran.add(batch);
          throw new ContactStore.Conflict("a later write");
        });
    ListIndexKeys.writeOverflow(
        memberships,
        batch -> {
          throw new ContactStore.Unavailable("down", null);
        });

    assertEquals(1, ran.size());
    assertFalse(memberships.overflowTransactions().isEmpty());
  }
}
