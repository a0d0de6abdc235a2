package com.voicecrm.contacts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.voicecrm.contacts.domain.ContactStore;
import com.voicecrm.contacts.domain.Deadline;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoContactStoreTest {

  @Test
  void aCallThatCannotFinishBeforeTheDeadline_isNotStarted() {
    try (DynamoDbClient neverCalled =
        DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .build()) {
      ContactStore store =
          new DynamoContactStore(neverCalled, "t").within(Deadline.afterMillis(350));

      assertThrows(ContactStore.Unavailable.class, () -> store.findContact("x"));
    }
  }

  @Test
  void itemBytes_countsNamesAndValuesAsDynamoDbDoes() {
    Map<String, AttributeValue> item =
        Map.of("pk", AttributeValue.fromS("abc"), "n", AttributeValue.fromN("12"));
    assertEquals(2 + 3 + 1 + 21, ItemSize.bytes(item));
  }
}
