package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cursor's codec: round trip, and every change of the cursor or its binding refused. */
class ListCursorTest {

  private static final ListPosition POSITION =
      new ListPosition(
          Instant.parse("2024-01-15T10:30:00.120Z"), "4b0c7f3e-8a2d-4e1f-9c3b-5d6e7f8a9b0c");
  private static final ListCursor.Binding BINDING =
      new ListCursor.Binding(
          "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c", "acc_demo", null, "tag", "vip");

  @Test
  void aCursor_namesItsPosition_forItsBinding() {
    String cursor = ListCursor.encode(POSITION, BINDING);

    assertEquals(Optional.of(POSITION), ListCursor.decode(cursor, BINDING));
    assertTrue(cursor.matches("[A-Za-z0-9_-]+"), cursor);
  }

  @Test
  void aPositionWithoutId_startsAfterEveryContactAtItsInstant() {
    // The settle horizon's cursor: after every contact updated at or before that instant.
    ListPosition horizon = ListPosition.after(POSITION.updatedAt());

    ListPosition decoded = ListCursor.decode(ListCursor.encode(horizon, BINDING), BINDING).get();

    assertEquals(POSITION.updatedAt(), decoded.updatedAt());
    assertTrue(decoded.compareTo(POSITION) > 0);
    assertTrue(
        decoded.compareTo(new ListPosition(POSITION.updatedAt().plusMillis(1), "0")) < 0,
        decoded.toString());
  }

  @Test
  void aCursor_reusedWithAnotherWorkspaceScopeOrFilter_isRefused() {
    String cursor = ListCursor.encode(POSITION, BINDING);

    for (ListCursor.Binding other :
        List.of(
            new ListCursor.Binding(
                "0b8e4d52-7a31-4f6e-8c2d-9e5f1a3b7c40", "acc_demo", null, "tag", "vip"),
            new ListCursor.Binding(BINDING.workspaceId(), "acc_other", null, "tag", "vip"),
            new ListCursor.Binding(
                BINDING.workspaceId(), "acc_demo", BINDING.workspaceId(), "tag", "vip"),
            new ListCursor.Binding(BINDING.workspaceId(), "acc_demo", null, "tag", "VIP"),
            new ListCursor.Binding(BINDING.workspaceId(), "acc_demo", null, "", ""),
            // Field boundaries count: "tag"+"vip" is not "ta"+"gvip".
            new ListCursor.Binding(BINDING.workspaceId(), "acc_demo", null, "ta", "gvip"))) {
      assertEquals(Optional.empty(), ListCursor.decode(cursor, other), other.toString());
    }
  }

  @Test
  void everySingleLetterChange_isRefused() {
    String cursor = ListCursor.encode(POSITION, BINDING);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < cursor.length(); i++) {
      for (char replacement : alphabet.toCharArray()) {
        if (replacement == cursor.charAt(i)) {
          continue;
        }
        String altered = cursor.substring(0, i) + replacement + cursor.substring(i + 1);
        assertEquals(Optional.empty(), ListCursor.decode(altered, BINDING), altered);
      }
    }
  }

  @Test
  void malformedCursors_areNotWellFormed() {
    String cursor = ListCursor.encode(POSITION, BINDING);
    Random random = new Random(12);
    byte[] noise = new byte[41];
    random.nextBytes(noise);
    for (String bad :
        List.of(
            "",
            "not a cursor",
            cursor + "=",
            cursor + "A",
            cursor.substring(1),
            Base64.getUrlEncoder().withoutPadding().encodeToString(noise),
            "x".repeat(10_000))) {
      assertFalse(ListCursor.isWellFormed(bad) && ListCursor.decode(bad, BINDING).isPresent(), bad);
    }
    assertFalse(ListCursor.isWellFormed("not a cursor"));
    assertTrue(ListCursor.isWellFormed(cursor));
  }
}
