package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.it.TestApi.Response;
import com.voicecrm.contacts.runtime.LambdaRuntime;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SnapStart as the runtime interface client drives it: with {@code snap-start} initialisation the
 * client runs the function's {@code beforeCheckpoint} hooks (the priming) before it asks the
 * Runtime API to restore, then serves requests as a restored snapshot would.
 */
class RuntimeSnapStartIT {

  @Test
  void priming_runsBeforeTheSnapshot_writesNothing_andTheRestoredFunctionServes() throws Exception {
    try (RuntimeTier tier =
        RuntimeTier.start(ServiceContract.API_HANDLER, LambdaRuntime.Init.SNAP_START)) {
      tier.api.restored().get(60, TimeUnit.SECONDS);

      assertEquals(tier.tableBeforeStart, tier.rig.scan(), "priming wrote to the table");
      // The priming's own requests went through the handler and were logged by it.
      String output = tier.output();
      assertEquals(
          true,
          output.contains("SnapStart priming answered [404, 400, 404, 404, 404, 400, 404, 400]"),
          output);
      // They are no client's requests: no metrics record for them.
      assertEquals(0, emfRecords(output), output);

      Response created = tier.invokeApi(RuntimeTier.sample("upsert.json").toString());
      assertEquals(201, created.status(), created.body());
      assertEquals(1, emfRecords(tier.output()), "the restored function's request is recorded");
    }
  }

  private static long emfRecords(String output) {
    return output.lines().filter(line -> line.startsWith("{\"_aws\"")).count();
  }
}
