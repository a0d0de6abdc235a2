package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.it.TestApi.Tenant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SPEC 11: "The same key with another method, path or body: 422 idempotency-key-reused, nothing
 * written" also when the key first answered a batch (found by ReliabilityModelIT, seed 15). A keyed
 * batch keeps one record per item ({@code IDEMPOTENCY#<keyId>#<hash>#<index>}) and none at {@code
 * IDEMPOTENCY#<keyId>#<hash>}, the only record a single-contact route reads, so such a route runs
 * and writes.
 */
class BatchKeyReusedIT {

  private Rig rig;
  private Tenant tenant;

  @BeforeEach
  void openRig() {
    rig = Rig.open();
    tenant = rig.newTenant("America/New_York");
  }

  @AfterEach
  void closeRig() {
    rig.close();
  }

  @Test
  void aKeyThatAnsweredABatch_is422_onAnUpsert_andWritesNothing() {
    String key = "batch-key-1";
    Response batch =
        IdempotencyIT.send(
            rig,
            "POST",
            "/v1/contacts/batch/upsert",
            tenant.workspaceKey(),
            key,
            Map.of("items", List.of(Map.of("phone", "+14155550150"))));
    assertEquals(200, batch.status(), batch.toString());
    var before = new HashSet<>(rig.scan());

    Response upsert =
        IdempotencyIT.send(
            rig,
            "POST",
            "/v1/contacts/upsert",
            tenant.workspaceKey(),
            key,
            Map.of("phone", "+14155550151"));

    assertEquals(422, upsert.status(), upsert.toString());
    assertEquals(before, new HashSet<>(rig.scan()), "nothing written");
  }
}
