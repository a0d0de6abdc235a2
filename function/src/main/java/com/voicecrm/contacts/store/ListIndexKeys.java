package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.ListPosition;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The values of the list indexes' keys (SPEC 9, {@link
 * com.voicecrm.contacts.config.ServiceContract.ListIndexes}): a contact item carries the workspace
 * index's ({@link ContactItem#listPk}, {@link ContactItem#listSk}), a {@link MembershipItem} the
 * tag index's. Reads never trust an entry alone: every page re-reads the contacts and keeps only
 * those whose current position is the entry's.
 */
final class ListIndexKeys {

  /** Fixed width, so that string order is time order ({@code Instant.toString} drops ".000"). */
  private static final DateTimeFormatter FIXED_MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** Sorts after every character of a UUID: "after every id at this instant". */
  private static final String AFTER_EVERY_ID = "~";

  private ListIndexKeys() {}

  static String workspacePartition(String workspaceId) {
    return "WS#" + workspaceId;
  }

  static String tagPartition(String workspaceId, String tag) {
    return Keys.tag(workspaceId, tag);
  }

  /** The sort key of {@code position}; for a position without id, one after every id there. */
  static String sortKey(ListPosition position) {
    return FIXED_MILLIS.format(position.updatedAt())
        + "#"
        + (position.id() == null ? AFTER_EVERY_ID : position.id());
  }

  /** The position an index entry's sort key names. */
  static ListPosition position(String sortKey) {
    int hash = sortKey.indexOf('#');
    return new ListPosition(
        Instant.from(FIXED_MILLIS.parse(sortKey.substring(0, hash))), sortKey.substring(hash + 1));
  }
}
