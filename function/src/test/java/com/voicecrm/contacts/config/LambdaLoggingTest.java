package com.voicecrm.contacts.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

class LambdaLoggingTest {

  private static String captured(Runnable logging) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      logging.run();
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void isTheSlf4jBinding() {
    assertTrue(LoggerFactory.getLogger("x") instanceof LambdaLogging.EventLogger);
  }

  @Test
  void formatsPlaceholders_andFiltersBelowTheThreshold() {
    LambdaLogging.EventLogger logger =
        new LambdaLogging.EventLogger("com.example.Thing", Level.INFO, LambdaLogging.Output.STDOUT);

    String out =
        captured(
            () -> {
              logger.debug("hidden {}", 1);
              logger.info("{} -> {}", "POST", 201);
            });

    assertEquals("INFO Thing - POST -> 201" + System.lineSeparator(), out);
  }

  @Test
  void keepsAStackTraceInTheSameEvent() {
    LambdaLogging.EventLogger logger =
        new LambdaLogging.EventLogger("a.B", Level.INFO, LambdaLogging.Output.STDOUT);

    String out =
        captured(() -> logger.error("failed on {}", "r1", new IllegalStateException("boom")));

    assertTrue(
        out.startsWith("ERROR B - failed on r1\njava.lang.IllegalStateException: boom"), out);
  }

  @Test
  void mdcFields_followTheMessage_andAreClearedWithTheInvocation() {
    LambdaLogging.EventLogger logger =
        new LambdaLogging.EventLogger("a.B", Level.INFO, LambdaLogging.Output.STDOUT);

    String out =
        captured(
            () -> {
              LogFields.open(null, "r-1", "k-1");
              logger.info("served");
              LogFields.close();
              logger.info("after");
            });

    assertEquals(
        "INFO B - served [keyId=k-1 requestId=r-1]"
            + System.lineSeparator()
            + "INFO B - after"
            + System.lineSeparator(),
        out);
  }

  @Test
  void answered_addsStatusAndOutcome_toTheFieldsUntilTheInvocationCloses() {
    LambdaLogging.EventLogger logger =
        new LambdaLogging.EventLogger("a.B", Level.INFO, LambdaLogging.Output.STDOUT);

    String out =
        captured(
            () -> {
              LogFields.open(null, "r-1", "k-1");
              logger.info("working");
              LogFields.answered(409, "conflict");
              logger.info("POST /v1/contacts -> 409");
              LogFields.close();
              LogFields.open(null, "r-2", null);
              logger.info("next");
              LogFields.close();
            });

    assertEquals(
        "INFO B - working [keyId=k-1 requestId=r-1]"
            + System.lineSeparator()
            + "INFO B - POST /v1/contacts -> 409 [keyId=k-1 outcome=conflict requestId=r-1"
            + " status=409]"
            + System.lineSeparator()
            + "INFO B - next [requestId=r-2]"
            + System.lineSeparator(),
        out);
  }

  @Test
  void jsonRecord_writesTheStatusAsANumber_andTheOutcomeAsText() throws Exception {
    var json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                JsonRecord.of(
                    "INFO",
                    "B",
                    "POST /v1/contacts/upsert -> 201",
                    null,
                    java.util.Map.of(
                        LogFields.STATUS, "201", LogFields.OUTCOME, "created", "requestId", "7")));

    assertTrue(json.get("status").isInt(), json.toString());
    assertEquals(201, json.get("status").asInt());
    assertEquals("created", json.get("outcome").asText());
    assertTrue(json.get("requestId").isTextual(), "only the listed fields are numbers");
  }

  @Test
  void jsonRecord_hasLambdasFields_andEachMdcEntryAsAField() throws Exception {
    byte[] record =
        JsonRecord.of(
            "INFO",
            "B",
            "served \"x\"",
            null,
            java.util.Map.of("requestId", "r-1", "keyId", "k-1"));

    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(record);
    assertEquals("INFO", json.get("level").asText());
    assertEquals("served \"x\"", json.get("message").asText());
    assertEquals("r-1", json.get("requestId").asText());
    assertEquals("k-1", json.get("keyId").asText());
    assertTrue(java.time.Instant.parse(json.get("timestamp").asText()) != null);
    assertEquals('\n', record[record.length - 1]);
  }

  @Test
  void threshold_readsLambdasLevelNames() {
    assertEquals(Level.WARN, LambdaLogging.parse("WARN"));
    assertEquals(Level.DEBUG, LambdaLogging.parse(" debug "));
    assertEquals(Level.ERROR, LambdaLogging.parse("FATAL"));
    assertEquals(Level.INFO, LambdaLogging.parse(null));
    assertEquals(Level.INFO, LambdaLogging.parse("chatty"));
  }
}
