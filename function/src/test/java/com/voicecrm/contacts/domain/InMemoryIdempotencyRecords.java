package com.voicecrm.contacts.domain;

import com.voicecrm.contacts.domain.Idempotency.Record;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A store of idempotency records only, with the conditional put's rule as the DynamoDB store
 * applies it (a live record is never replaced); every contact operation fails the test.
 */
public final class InMemoryIdempotencyRecords implements ContactStore {

  public final Map<RecordId, Record> records = new HashMap<>();
  public int puts;

  /** Fails every call as the store does when DynamoDB stays unavailable. */
  public boolean unavailable;

  @Override
  public Optional<Record> find(RecordId id) {
    if (unavailable) {
      throw new ContactStore.Unavailable("down", null);
    }
    return Optional.ofNullable(records.get(id));
  }

  @Override
  public void record(Record record, Instant now) {
    if (unavailable) {
      throw new ContactStore.Unavailable("down", null);
    }
    puts++;
    Record held = records.get(record.id());
    if (held != null && held.isLiveAt(now)) {
      throw new ContactStore.Conflict("record exists");
    }
    records.put(record.id(), record);
  }

  @Override
  public Optional<Workspace> findWorkspace(String workspaceId) {
    throw new AssertionError("no contact operation expected");
  }

  @Override
  public UpsertSnapshot readForUpsert(
      String workspaceId, Identifier phone, Identifier email, Collection<String> tags) {
    throw new AssertionError("no contact operation expected");
  }

  @Override
  public Optional<Contact> findContact(String contactId) {
    throw new AssertionError("no contact operation expected");
  }

  @Override
  public WriteResult write(ContactWrite write) {
    throw new AssertionError("no contact operation expected");
  }
}
