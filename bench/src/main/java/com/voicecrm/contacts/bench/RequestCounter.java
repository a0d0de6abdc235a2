package com.voicecrm.contacts.bench;

import com.voicecrm.contacts.store.ItemSize;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
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
 * inside a transaction both count double.
 */
final class RequestCounter implements ExecutionInterceptor {

  private final Map<String, Integer> operations = new TreeMap<>();
  private int requests;
  private int itemsWritten;
  private double readUnits;
  private double writeUnits;
  private double leastWriteUnits;

  @Override
  public synchronized void afterExecution(
      Context.AfterExecution context, ExecutionAttributes attributes) {
    if (context.request() instanceof BatchGetItemRequest batch) {
      var response =
          (software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse) context.response();
      int keys = batch.requestItems().values().stream().mapToInt(k -> k.keys().size()).sum();
      int found = 0;
      for (var items : response.responses().values()) {
        for (var item : items) {
          found++;
          readUnits += Math.ceil(ItemSize.bytes(item) / 4096.0);
        }
      }
      readUnits += keys - found; // an item not found still costs a consistent read
    } else if (context.request() instanceof QueryRequest) {
      // An index query reads eventually consistently: half a unit per 4 KB of entries returned.
      var response =
          (software.amazon.awssdk.services.dynamodb.model.QueryResponse) context.response();
      long bytes = 0;
      for (var item : response.items()) {
        bytes += ItemSize.bytes(item);
      }
      readUnits += Math.max(0.5, Math.ceil(bytes / 4096.0) * 0.5);
    } else if (context.request() instanceof GetItemRequest) {
      var response =
          (software.amazon.awssdk.services.dynamodb.model.GetItemResponse) context.response();
      readUnits +=
          response.hasItem() ? Math.max(1, Math.ceil(ItemSize.bytes(response.item()) / 4096.0)) : 1;
    }
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
      itemsWritten += batch.requestItems().values().stream().mapToInt(java.util.List::size).sum();
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
