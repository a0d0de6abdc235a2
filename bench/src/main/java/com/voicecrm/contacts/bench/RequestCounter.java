package com.voicecrm.contacts.bench;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.store.ItemSize;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Counts DynamoDB requests (each HTTP attempt, retries included), the items they write, and the
 * read and write request units DynamoDB on-demand would bill for them, computed from the item sizes
 * by DynamoDB's rules (moto does not report consumed capacity): a strongly consistent read costs
 * one unit per 4 KB of each item, and one for an item that is not there; a write one unit per 1 KB;
 * inside a transaction both count double. Write units include what the two list indexes bill for
 * the entries a write adds, moves or removes (not doubled in a transaction), from the index keys
 * each item had when this counter last saw it.
 */
final class RequestCounter implements ExecutionInterceptor {

  private final Map<String, Integer> operations = new TreeMap<>();
  private int requests;
  private int itemsWritten;
  private double readUnits;
  private double writeUnits;
  private double leastWriteUnits;
  private final Map<String, List<Double>> unitsByKind = new TreeMap<>();
  private final List<Long> queryEntryBytes = new ArrayList<>();
  private double indexWriteUnits;

  /** The list indexes' keys each item had when last seen (read or written), by its table key. */
  private final Map<String, IndexKeys> indexKeys = new HashMap<>();

  /** An item's keys in the two list indexes (null: not in that index). */
  private record IndexKeys(String workspace, String tag, String sort) {
    static final IndexKeys NONE = new IndexKeys(null, null, null);

    static IndexKeys of(Map<String, AttributeValue> item) {
      return new IndexKeys(
          string(item, ServiceContract.ListIndexes.WORKSPACE_PARTITION),
          string(item, ServiceContract.ListIndexes.TAG_PARTITION),
          string(item, ServiceContract.ListIndexes.SORT));
    }

    /**
     * The write units the indexes bill when an item goes from {@code this} to {@code after}: per
     * index, an entry added or removed is one write, one that moves is a delete and a put
     * (KEYS_ONLY entries are far below 1 KB), one that stays is none.
     */
    int unitsTo(IndexKeys after) {
      return units(workspace, after.workspace, after) + units(tag, after.tag, after);
    }

    private int units(String partition, String partitionAfter, IndexKeys after) {
      if (partition == null) {
        return partitionAfter == null ? 0 : 1;
      }
      if (partitionAfter == null) {
        return 1;
      }
      return partition.equals(partitionAfter) && Objects.equals(sort, after.sort) ? 0 : 2;
    }

    private static String string(Map<String, AttributeValue> item, String name) {
      AttributeValue value = item.get(name);
      return value == null ? null : value.s();
    }
  }

  @Override
  public synchronized void afterExecution(
      Context.AfterExecution context, ExecutionAttributes attributes) {
    indexWrites(context.request());
    if (context.request() instanceof BatchGetItemRequest batch) {
      var response =
          (software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse) context.response();
      List<String> missing = new ArrayList<>();
      batch.requestItems().values().forEach(k -> k.keys().forEach(key -> missing.add(kind(key))));
      batch.requestItems().values().forEach(k -> k.keys().forEach(this::seenMissing));
      for (var items : response.responses().values()) {
        for (var item : items) {
          indexKeys.put(tableKey(item), IndexKeys.of(item));
          missing.remove(kind(item));
          read(kind(item), Math.max(1, Math.ceil(ItemSize.bytes(item) / 4096.0)));
        }
      }
      // Unprocessed keys are read again by the next request, and counted there.
      response
          .unprocessedKeys()
          .values()
          .forEach(k -> k.keys().forEach(key -> missing.remove(kind(key))));
      missing.forEach(kind -> read(kind, 1)); // an item not found still costs a consistent read
    } else if (context.request() instanceof GetItemRequest get) {
      var response =
          (software.amazon.awssdk.services.dynamodb.model.GetItemResponse) context.response();
      indexKeys.put(
          tableKey(get.key()), response.hasItem() ? IndexKeys.of(response.item()) : IndexKeys.NONE);
      read(
          kind(get.key()),
          response.hasItem()
              ? Math.max(1, Math.ceil(ItemSize.bytes(response.item()) / 4096.0))
              : 1);
    } else if (context.request() instanceof QueryRequest) {
      // An index query reads eventually consistently: half a unit per 4 KB of all the entries
      // returned together, half a unit at least.
      var response =
          (software.amazon.awssdk.services.dynamodb.model.QueryResponse) context.response();
      long bytes = 0;
      for (var entry : response.items()) {
        long size = ItemSize.bytes(entry);
        queryEntryBytes.add(size);
        bytes += size;
      }
      readUnits += queryUnits(bytes);
    }
  }

  /**
   * The index writes of a write DynamoDB applied, from the index keys each item had when last seen
   * (this bench's tables start empty of contacts and every write goes through this client, so a
   * written item's last state is known; a conditional create's is "none").
   */
  private void indexWrites(SdkRequest request) {
    if (request instanceof TransactWriteItemsRequest transact) {
      for (var item : transact.transactItems()) {
        if (item.put() != null) {
          indexWrite(item.put().item(), IndexKeys.of(item.put().item()));
        } else if (item.delete() != null) {
          indexWrite(item.delete().key(), IndexKeys.NONE);
        }
      }
    } else if (request instanceof PutItemRequest put) {
      indexWrite(put.item(), IndexKeys.of(put.item()));
    } else if (request instanceof DeleteItemRequest delete) {
      indexWrite(delete.key(), IndexKeys.NONE);
    }
  }

  private void indexWrite(Map<String, AttributeValue> itemOrKey, IndexKeys after) {
    String key = tableKey(itemOrKey);
    int units = indexKeys.getOrDefault(key, IndexKeys.NONE).unitsTo(after);
    indexWriteUnits += units;
    writeUnits += units;
    leastWriteUnits += units;
    indexKeys.put(key, after);
  }

  private void seenMissing(Map<String, AttributeValue> key) {
    indexKeys.put(tableKey(key), IndexKeys.NONE); // found items are put back next
  }

  private static String tableKey(Map<String, AttributeValue> itemOrKey) {
    return itemOrKey.get(ServiceContract.PARTITION_KEY).s()
        + "|"
        + itemOrKey.get(ServiceContract.SORT_KEY).s();
  }

  /** What a Query returning entries of {@code bytes} in all costs. */
  static double queryUnits(long bytes) {
    return Math.max(1, Math.ceil(bytes / 4096.0)) * 0.5;
  }

  private void read(String kind, double units) {
    readUnits += units;
    unitsByKind.computeIfAbsent(kind, k -> new ArrayList<>()).add(units);
  }

  /** An item's or a key's kind: its sort key (CONTACT, WORKSPACE, IDENTIFIER, TAG, ...). */
  private static String kind(Map<String, AttributeValue> itemOrKey) {
    AttributeValue sortKey = itemOrKey.get(ServiceContract.SORT_KEY);
    return sortKey == null ? "?" : sortKey.s();
  }

  @Override
  public synchronized void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    requests++;
    operations.merge(request.getClass().getSimpleName().replace("Request", ""), 1, Integer::sum);
    if (request instanceof TransactWriteItemsRequest transact) {
      // The least: a transaction is needed only to write two or more items atomically.
      int factor = transact.transactItems().size() > 1 ? 2 : 1;
      for (var item : transact.transactItems()) {
        if (item.put() != null) {
          double units = Math.ceil(ItemSize.bytes(item.put().item()) / 1024.0);
          writeUnits += 2 * units;
          leastWriteUnits += factor * units;
        } else if (item.delete() != null || item.update() != null) {
          writeUnits += 2; // the released claims are far below 1 KB
          leastWriteUnits += factor;
        } else if (item.conditionCheck() != null) {
          readUnits += 2;
        }
      }
      itemsWritten +=
          transact.transactItems().size()
              - (int)
                  transact.transactItems().stream().filter(i -> i.conditionCheck() != null).count();
    } else if (request instanceof BatchWriteItemRequest batch) {
      itemsWritten += batch.requestItems().values().stream().mapToInt(List::size).sum();
    } else if (request instanceof PutItemRequest put) {
      itemsWritten++;
      writeUnits += Math.ceil(ItemSize.bytes(put.item()) / 1024.0);
      leastWriteUnits += Math.ceil(ItemSize.bytes(put.item()) / 1024.0);
    } else if (request instanceof UpdateItemRequest || request instanceof DeleteItemRequest) {
      itemsWritten++;
    }
  }

  synchronized void reset() {
    operations.clear();
    requests = 0;
    itemsWritten = 0;
    readUnits = 0;
    writeUnits = 0;
    leastWriteUnits = 0;
    unitsByKind.clear();
    queryEntryBytes.clear();
    indexWriteUnits = 0; // the index keys seen stay: they are the table's state
  }

  /** The write units of these writes billed by the list indexes (part of {@link #writeUnits}). */
  synchronized double indexWriteUnits() {
    return indexWriteUnits;
  }

  /**
   * The read units of the {@code count} cheapest items of {@code kind} read (GetItem and
   * BatchGetItem), all of them when fewer were read.
   */
  synchronized double readUnitsOf(String kind, int count) {
    return unitsByKind.getOrDefault(kind, List.of()).stream()
        .sorted()
        .limit(count)
        .mapToDouble(Double::doubleValue)
        .sum();
  }

  /** What one Query returning only the first {@code count} entries the queries returned costs. */
  synchronized double queryUnitsOfFirst(int count) {
    return queryUnits(queryEntryBytes.stream().limit(count).mapToLong(Long::longValue).sum());
  }

  /** The index entries the queries returned. */
  synchronized int queryEntries() {
    return queryEntryBytes.size();
  }

  /** The write units the same items need at least: no transaction around a single item. */
  synchronized double leastWriteUnits() {
    return leastWriteUnits;
  }

  synchronized double readUnits() {
    return readUnits;
  }

  synchronized double writeUnits() {
    return writeUnits;
  }

  synchronized int requests() {
    return requests;
  }

  synchronized int itemsWritten() {
    return itemsWritten;
  }

  synchronized String operations() {
    StringBuilder text = new StringBuilder();
    operations.forEach(
        (name, count) ->
            text.append(text.length() == 0 ? "" : " + ")
                .append(count > 1 ? count + "x" : "")
                .append(name));
    return text.toString();
  }
}
