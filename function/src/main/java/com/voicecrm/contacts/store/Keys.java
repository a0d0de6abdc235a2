package com.voicecrm.contacts.store;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.config.ServiceContract.ListIndexes;
import com.voicecrm.contacts.domain.Idempotency.RecordId;
import com.voicecrm.contacts.domain.Identifier;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The table's key: its two attribute names and the key of every item type. Each item has its own
 * partition (the sort key is a constant naming the type), so no workspace becomes a hot partition
 * and every lookup is a GetItem.
 */
final class Keys {

  /** The key attributes, named once in {@link ServiceContract} (infra reads them there too). */
  static final String PK = ServiceContract.PARTITION_KEY;

  static final String SK = ServiceContract.SORT_KEY;

  /** The list indexes' key attributes (SPEC 9), named once in {@link ListIndexes} too. */
  static final String LIST_PK = ListIndexes.WORKSPACE_PARTITION;

  static final String TAG_LIST_PK = ListIndexes.TAG_PARTITION;
  static final String LIST_SK = ListIndexes.SORT;

  static final String CONTACT = "CONTACT";
  static final String IDENTIFIER = "IDENTIFIER";
  static final String TAG = "TAG";
  static final String WORKSPACE = "WORKSPACE";
  static final String ACCOUNT = "ACCOUNT";
  static final String API_KEY = "APIKEY";
  static final String IDEMPOTENCY = "IDEMPOTENCY";

  private static final String API_KEY_PREFIX = "APIKEY#";
  private static final String IDEMPOTENCY_PREFIX = "IDEMPOTENCY#";

  /** Sort key prefix of a tag membership item, which lives in its contact's partition. */
  static final String MEMBERSHIP_PREFIX = "TAG#";

  private Keys() {}

  static String contact(String contactId) {
    return "CONTACT#" + contactId;
  }

  static String identifier(String workspaceId, Identifier identifier) {
    return "WS#" + workspaceId + "#" + identifier.kind().name() + "#" + identifier.value();
  }

  static String tag(String workspaceId, String tag) {
    return "WS#" + workspaceId + "#TAG#" + tag;
  }

  static String workspace(String workspaceId) {
    return "WORKSPACE#" + workspaceId;
  }

  static String account(String accountId) {
    return "ACCOUNT#" + accountId;
  }

  static String apiKey(String keyHash) {
    return API_KEY_PREFIX + keyHash;
  }

  /**
   * An idempotency record: the API key's id, the SHA-256 of the {@code Idempotency-Key}, and the
   * item's index for one item of a batch.
   */
  static String idempotency(RecordId id) {
    String pk = IDEMPOTENCY_PREFIX + id.keyId() + "#" + id.keyHash();
    return id.itemIndex() == null ? pk : pk + "#" + id.itemIndex();
  }

  /** The record id an idempotency record's partition key holds. */
  static RecordId idempotencyIdOf(String pk) {
    String[] parts = pk.substring(IDEMPOTENCY_PREFIX.length()).split("#", -1);
    return new RecordId(parts[0], parts[1], parts.length > 2 ? Integer.valueOf(parts[2]) : null);
  }

  static Map<String, AttributeValue> idempotencyKey(RecordId id) {
    return key(idempotency(id), IDEMPOTENCY);
  }

  /** The key hash an API key item's partition key holds. */
  static String keyHashOf(String apiKeyPk) {
    return apiKeyPk.substring(API_KEY_PREFIX.length());
  }

  /** The key of the item with these partition and sort keys, as GetItem and Delete take it. */
  static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
  }

  static Map<String, AttributeValue> contactKey(String contactId) {
    return key(contact(contactId), CONTACT);
  }

  /** The key of {@code contactId}'s membership of {@code tag} (the tag list index's entry). */
  static Map<String, AttributeValue> membershipKey(String contactId, String tag) {
    return key(contact(contactId), MEMBERSHIP_PREFIX + tag);
  }

  static Map<String, AttributeValue> identifierKey(String workspaceId, Identifier identifier) {
    return key(identifier(workspaceId, identifier), IDENTIFIER);
  }

  static Map<String, AttributeValue> tagKey(String workspaceId, String tag) {
    return key(tag(workspaceId, tag), TAG);
  }

  static Map<String, AttributeValue> workspaceKey(String workspaceId) {
    return key(workspace(workspaceId), WORKSPACE);
  }

  static Map<String, AttributeValue> apiKeyKey(String keyHash) {
    return key(apiKey(keyHash), API_KEY);
  }

  /** The partition key of a stored item. */
  static String pkOf(Map<String, AttributeValue> item) {
    return item.get(PK).s();
  }

  /** A condition that holds only while no item has the key: a create, a claim. */
  static String notExists() {
    return "attribute_not_exists(" + PK + ")";
  }

  /** A condition that holds only while an item has the key: an update of something stored. */
  static String exists() {
    return "attribute_exists(" + PK + ")";
  }
}
