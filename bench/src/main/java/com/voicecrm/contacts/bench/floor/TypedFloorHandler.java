package com.voicecrm.contacts.bench.floor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The PutItem floor with a typed event: the runtime client maps the proxy event and the response by
 * reflection (its own Jackson, plus Joda-Time). Against {@link FloorHandler} it measures what that
 * mapping costs, which is why the function streams its events instead.
 */
public final class TypedFloorHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

  private final DynamoDbClient dynamo = FloorClients.dynamo();
  private final String table = System.getenv("TABLE_NAME");

  public TypedFloorHandler() {
    FloorPriming.register(dynamo, table);
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    String id = UUID.randomUUID().toString();
    Map<String, AttributeValue> item;
    try {
      item = FloorHandler.item(event.getBody(), id);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    dynamo.putItem(r -> r.tableName(table).item(item));
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(201)
        .withHeaders(
            Map.of(
                "Content-Type",
                "application/json",
                "X-Request-Id",
                event.getRequestContext().getRequestId()))
        .withBody("{\"id\":\"" + id + "\"}");
  }
}
