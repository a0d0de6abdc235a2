package com.voicecrm.contacts.domain;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reads and the one shared write of a batch upsert (SPEC 10), made for all its items at once:
 * what one upsert's read gets for one item ({@link ContactStore#readForUpsert}), in as few round
 * trips as the store allows (DynamoDB: {@code BatchGetItem}, 100 keys a call). Every read is
 * strongly consistent.
 */
public interface BatchReads {

  /** These reads with every call bounded by the request's deadline. */
  default BatchReads within(Deadline deadline) {
    return this;
  }

  /**
   * The workspace, the holder of each identifier (absent when nobody holds it) and which of the
   * tags the workspace has registered.
   */
  Claims readClaims(
      String workspaceId, Collection<Identifier> identifiers, Collection<String> tags);

  /** The contacts of these ids that exist (active or deleted), by id. */
  Map<String, Contact> readContacts(Collection<String> contactIds);

  /**
   * Registers the tags in the workspace, each only if it is not registered yet (the registration
   * time of an existing one stays). Idempotent: a tag registered for an item that then fails names
   * a tag no contact holds yet, which is harmless.
   *
   * @throws ContactStore.Unavailable when the store could not take the writes
   */
  void registerTags(String workspaceId, Collection<String> tags, Instant at);

  /**
   * The idempotency records of these ids that exist (live or expired: the caller judges them), by
   * id: a keyed batch's answers already given (SPEC 11).
   */
  Map<Idempotency.RecordId, Idempotency.Record> readRecords(Collection<Idempotency.RecordId> ids);

  /** What {@link #readClaims} found. */
  record Claims(
      Optional<Workspace> workspace, Map<Identifier, String> owners, Set<String> registeredTags) {

    public Claims {
      owners = Map.copyOf(owners);
      registeredTags = Set.copyOf(registeredTags);
    }

    /** The holder of {@code identifier}, or null (also for a null identifier). */
    public String ownerOf(Identifier identifier) {
      return identifier == null ? null : owners.get(identifier);
    }
  }
}
