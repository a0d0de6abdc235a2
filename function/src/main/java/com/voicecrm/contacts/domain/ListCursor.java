package com.voicecrm.contacts.domain;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The opaque {@code nextCursor} of SPEC 9: base64url (no padding) of a version byte, the position
 * the next page starts after (updatedAt in epoch milliseconds, contact id as 16 bytes) and the
 * first 16 bytes of SHA-256 over what the cursor is bound to (workspace, the key's scope, the
 * filter) and the position.
 *
 * <p>The binding itself is not in the cursor: decoding recomputes the digest from the request, so a
 * cursor altered in any bit, or sent with another workspace, scope or filter, fails the check. No
 * secret is needed: the digest only detects change, and a client able to compute one for a position
 * of its own choosing gains nothing, since a cursor never selects the workspace (the request does,
 * checked against the key like any request) and only says where in that workspace's order to start.
 */
public final class ListCursor {

  private static final byte VERSION = 1;
  private static final int DIGEST_BYTES = 16;
  private static final int POSITION_BYTES = 1 + Long.BYTES + 16;
  private static final int CURSOR_BYTES = POSITION_BYTES + DIGEST_BYTES;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  /**
   * Stands for a position without id ("after every contact at this instant"): no contact id, a
   * random (version 4) UUID, sorts after it.
   */
  private static final UUID AFTER_EVERY_ID = new UUID(-1L, -1L);

  private ListCursor() {}

  /** What a cursor is valid for; {@code keyWorkspaceId} is null for an account key. */
  public record Binding(
      String workspaceId,
      String accountId,
      String keyWorkspaceId,
      String filterName,
      String filterValue) {

    static Binding of(String workspaceId, ApiKeyScope scope, ListQuery.Filter filter) {
      return new Binding(
          workspaceId, scope.accountId(), scope.workspaceId(), filter.name(), filter.value());
    }
  }

  /**
   * The cursor for the page after {@code position}: a contact's, or one without id (after every
   * contact at its instant, as the settle horizon is).
   */
  public static String encode(ListPosition position, Binding binding) {
    ByteBuffer bytes = ByteBuffer.allocate(CURSOR_BYTES);
    bytes.put(VERSION);
    bytes.putLong(position.updatedAt().toEpochMilli());
    UUID id = position.id() == null ? AFTER_EVERY_ID : UUID.fromString(position.id());
    bytes.putLong(id.getMostSignificantBits());
    bytes.putLong(id.getLeastSignificantBits());
    bytes.put(digest(Arrays.copyOf(bytes.array(), POSITION_BYTES), binding));
    return ENCODER.encodeToString(bytes.array());
  }

  /**
   * The position {@code cursor} names, or empty when it is not a cursor this service made for
   * {@code binding}: malformed, altered, or made for another workspace, scope or filter.
   */
  public static Optional<ListPosition> decode(String cursor, Binding binding) {
    return structure(cursor)
        .filter(
            bytes ->
                MessageDigest.isEqual(
                    digest(Arrays.copyOf(bytes, POSITION_BYTES), binding),
                    Arrays.copyOfRange(bytes, POSITION_BYTES, CURSOR_BYTES)))
        .map(ListCursor::position);
  }

  /**
   * Whether {@code cursor} has the shape of a cursor at all (checked before the binding is known).
   */
  public static boolean isWellFormed(String cursor) {
    return structure(cursor).isPresent();
  }

  private static Optional<byte[]> structure(String cursor) {
    if (cursor == null || cursor.length() > 2 * CURSOR_BYTES) {
      return Optional.empty();
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(cursor);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    // Only the one encoding this class writes: no padding, no stray low bits in the last letter.
    if (bytes.length != CURSOR_BYTES
        || bytes[0] != VERSION
        || !ENCODER.encodeToString(bytes).equals(cursor)) {
      return Optional.empty();
    }
    return Optional.of(bytes);
  }

  private static ListPosition position(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, POSITION_BYTES - 1);
    Instant updatedAt = Instant.ofEpochMilli(buffer.getLong());
    UUID id = new UUID(buffer.getLong(), buffer.getLong());
    return new ListPosition(updatedAt, id.toString().toLowerCase(Locale.ROOT));
  }

  private static byte[] digest(byte[] position, Binding binding) {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    // Each field length-prefixed, so no two bindings share a byte string.
    for (String field :
        new String[] {
          binding.workspaceId(),
          binding.accountId(),
          binding.keyWorkspaceId(),
          binding.filterName(),
          binding.filterValue()
        }) {
      if (field == null) {
        sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
      } else {
        byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
        sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(utf8.length).array());
        sha256.update(utf8);
      }
    }
    sha256.update(position);
    return Arrays.copyOf(sha256.digest(), DIGEST_BYTES);
  }
}
