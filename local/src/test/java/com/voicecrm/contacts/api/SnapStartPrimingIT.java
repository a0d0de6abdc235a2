package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.voicecrm.contacts.it.TestApi;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The SnapStart priming hook runs the real handler against the store and writes nothing. */
class SnapStartPrimingIT {

  @Test
  void beforeCheckpoint_reachesTheStore_andWritesNothing() {
    // GIVEN the handler on the integration tests' table, with whatever the other tests left in it
    ContactsApiHandler handler =
        ContactsApiHandler.over(TestApi.api().dynamo(), TestApi.api().table());
    List<Map<String, AttributeValue>> before = TestApi.scan("");

    // WHEN priming runs, as SnapStart would call it before the snapshot
    SnapStartPriming priming = new SnapStartPriming(handler);
    priming.beforeCheckpoint(null);
    List<Integer> statuses = priming.prime();

    // THEN the upsert reached the store (its workspace does not exist), the invalid one was
    // rejected, the read and the patch found nothing, and the table is exactly as it was
    assertEquals(List.of(404, 400, 404, 404), statuses);
    assertEquals(before, TestApi.scan(""));
  }
}
