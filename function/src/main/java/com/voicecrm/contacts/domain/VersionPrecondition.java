package com.voicecrm.contacts.domain;

import java.util.HashSet;
import java.util.Set;

/**
 * A client's precondition on a contact's version ({@code If-Match}, SPEC 8): either any active
 * contact ({@code *}) or one of the versions it names. Entity tags are compared strongly (RFC 9110
 * 13.1.1): a weak tag ({@code W/"3"}) or one that is not a quoted version never matches.
 */
public final class VersionPrecondition {

  private final boolean any;
  private final Set<Long> versions;

  private VersionPrecondition(boolean any, Set<Long> versions) {
    this.any = any;
    this.versions = versions;
  }

  /** The precondition an {@code If-Match} value states; {@code null} when there is none. */
  public static VersionPrecondition ofIfMatch(String header) {
    if (header == null) {
      return null;
    }
    if (header.trim().equals("*")) {
      return new VersionPrecondition(true, Set.of());
    }
    Set<Long> versions = new HashSet<>();
    for (String tag : header.split(",")) {
      String t = tag.trim();
      if (t.length() > 2 && t.startsWith("\"") && t.endsWith("\"")) {
        String digits = t.substring(1, t.length() - 1);
        if (digits.length() <= 18 && digits.chars().allMatch(Character::isDigit)) {
          versions.add(Long.parseLong(digits));
        }
      }
    }
    return new VersionPrecondition(false, Set.copyOf(versions));
  }

  /** Whether an active contact at {@code version} satisfies it. */
  public boolean allows(long version) {
    return any || versions.contains(version);
  }
}
