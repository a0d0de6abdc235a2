package com.voicecrm.contacts.bench.floor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The floors' own SnapStart priming, as little as a careful function does: one read of a key that
 * cannot exist (warms the client, signing and the connection) and the event parser on a sample.
 */
final class FloorPriming implements Resource {

  private static final List<FloorPriming> REGISTERED = new ArrayList<>(1);
  private static final String SAMPLE =
      "{\"body\":\"{\\\"firstName\\\":\\\"x\\\"}\",\"requestContext\":{\"requestId\":\"p\"}}";

  private final DynamoDbClient dynamo;
  private final String table;

  private FloorPriming(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  static void register(DynamoDbClient dynamo, String table) {
    FloorPriming priming = new FloorPriming(dynamo, table);
    synchronized (REGISTERED) {
      REGISTERED.add(priming);
    }
    Core.getGlobalContext().register(priming);
  }

  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) throws Exception {
    dynamo.getItem(
        r ->
            r.tableName(table)
                .consistentRead(true)
                .key(
                    Map.of(
                        "pk", AttributeValue.fromS("FLOOR#PRIMING"),
                        "sk", AttributeValue.fromS("FLOOR"))));
    FloorEvent.read(new ByteArrayInputStream(SAMPLE.getBytes(StandardCharsets.UTF_8)));
    FloorEvent.writeCreated(new ByteArrayOutputStream(), "p", "p");
  }

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {}
}
