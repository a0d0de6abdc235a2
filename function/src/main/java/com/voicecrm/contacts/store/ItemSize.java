package com.voicecrm.contacts.store;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The size DynamoDB counts for an item, rounded up where its rules leave a range. The store checks
 * a contact against DynamoDB's item limit with it before writing; the benchmark computes request
 * units with it.
 */
public final class ItemSize {

  /** DynamoDB's limit on one item (400 KB, names and values counted); beyond it a put fails. */
  static final long MAX_ITEM_BYTES = 400 * 1024;

  /** What an active contact keeps free for the {@code deletedAt} its soft delete will add. */
  static final long DELETE_HEADROOM_BYTES = 1024;

  private ItemSize() {}

  public static long bytes(Map<String, AttributeValue> item) {
    long size = 0;
    for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
      size += utf8Bytes(attribute.getKey()) + valueBytes(attribute.getValue());
    }
    return size;
  }

  /** The most a contact item may take: less the delete's headroom while it is active. */
  static long contactLimit(boolean deleted) {
    return MAX_ITEM_BYTES - (deleted ? 0 : DELETE_HEADROOM_BYTES);
  }

  private static long valueBytes(AttributeValue value) {
    if (value.s() != null) {
      return utf8Bytes(value.s());
    }
    if (value.n() != null) {
      return 21; // 38 significant digits at most
    }
    long size = 3;
    if (value.hasL()) {
      for (AttributeValue element : value.l()) {
        size += 1 + valueBytes(element);
      }
      return size;
    }
    if (value.hasM()) {
      for (Map.Entry<String, AttributeValue> entry : value.m().entrySet()) {
        size += 1 + utf8Bytes(entry.getKey()) + valueBytes(entry.getValue());
      }
      return size;
    }
    return 1; // boolean or null
  }

  private static long utf8Bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
