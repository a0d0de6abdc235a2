package com.voicecrm.contacts.bench;

import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Counts DynamoDB requests (each HTTP attempt, retries included) and the items they write. */
final class RequestCounter implements ExecutionInterceptor {

  private final Map<String, Integer> operations = new TreeMap<>();
  private int requests;
  private int itemsWritten;

  @Override
  public synchronized void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    SdkRequest request = context.request();
    requests++;
    operations.merge(request.getClass().getSimpleName().replace("Request", ""), 1, Integer::sum);
    if (request instanceof TransactWriteItemsRequest transact) {
      itemsWritten +=
          transact.transactItems().size()
              - (int)
                  transact.transactItems().stream().filter(i -> i.conditionCheck() != null).count();
    } else if (request instanceof BatchWriteItemRequest batch) {
      itemsWritten += batch.requestItems().values().stream().mapToInt(java.util.List::size).sum();
    } else if (request instanceof PutItemRequest
        || request instanceof UpdateItemRequest
        || request instanceof DeleteItemRequest) {
      itemsWritten++;
    }
  }

  synchronized void reset() {
    operations.clear();
    requests = 0;
    itemsWritten = 0;
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
