package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A place in the list order of SPEC 9: {@code updatedAt} ascending, then {@code id}. A page starts
 * strictly after a position. {@code id} null stands for "after every contact updated at {@code
 * updatedAt}", which is what {@code updatedAfter} asks for (exclusive).
 */
public record ListPosition(Instant updatedAt, String id) implements Comparable<ListPosition> {

  private static final Comparator<ListPosition> ORDER =
      Comparator.comparing(ListPosition::updatedAt)
          .thenComparing(ListPosition::id, Comparator.nullsLast(Comparator.naturalOrder()));

  public ListPosition {
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** Where {@code contact} sits in the order now. */
  public static ListPosition of(Contact contact) {
    return new ListPosition(contact.updatedAt(), contact.id());
  }

  /** After every contact updated at or before {@code instant}. */
  public static ListPosition after(Instant instant) {
    return new ListPosition(instant, null);
  }

  @Override
  public int compareTo(ListPosition other) {
    return ORDER.compare(this, other);
  }
}
