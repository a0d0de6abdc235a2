package com.voicecrm.contacts.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.runtime.LambdaRuntime;
import com.voicecrm.contacts.runtime.RuntimeApiStub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One function of the shaded jar, started by the Lambda runtime interface client against a Runtime
 * API stub, on a table of its own (a {@link Rig}) with the demo seed loaded.
 */
final class RuntimeTier implements AutoCloseable {

  private static final Set<String> PROXY_RESPONSE_FIELDS =
      Set.of("statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded");

  final Rig rig;

  /** The table as it was before the function started (seed loaded, nothing else). */
  final List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>>
      tableBeforeStart;

  final RuntimeApiStub api;
  private final LambdaRuntime runtime;

  private RuntimeTier(
      Rig rig,
      List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> before,
      RuntimeApiStub api,
      LambdaRuntime runtime) {
    this.rig = rig;
    this.tableBeforeStart = before;
    this.api = api;
    this.runtime = runtime;
  }

  static RuntimeTier start(String handler) throws Exception {
    return start(handler, LambdaRuntime.Init.ON_DEMAND);
  }

  static RuntimeTier start(String handler, LambdaRuntime.Init init) throws Exception {
    Rig rig = Rig.open();
    new com.voicecrm.contacts.local.SeedLoader(rig.plain, rig.table)
        .load(TestApi.projectRoot().resolve("events/local-seed.json"));
    Path jar = Path.of(System.getProperty("function.jar")).toAbsolutePath().normalize();
    // Task roots and runtime logs go to this module's build directory, not the function's.
    Path target = Path.of("target").toAbsolutePath();
    String name = handler.substring(handler.lastIndexOf('.') + 1, handler.indexOf("::"));
    Path taskRoot = LambdaRuntime.unpack(jar, target.resolve("lambda-task-" + name));
    var before = rig.scan();
    RuntimeApiStub api = new RuntimeApiStub();
    String endpoint =
        rig.plain.serviceClientConfiguration().endpointOverride().orElseThrow().toString();
    LambdaRuntime runtime =
        LambdaRuntime.start(
            taskRoot,
            handler,
            init,
            api,
            Map.of(
                ServiceContract.ENV_TABLE_NAME,
                rig.table,
                ServiceContract.ENV_DYNAMODB_ENDPOINT,
                endpoint),
            List.of(),
            List.of(),
            target.resolve("lambda-runtime-" + name + "-" + init + ".log"));
    return new RuntimeTier(rig, before, api, runtime);
  }

  /** Invokes the function with {@code event} and returns what it posted to the Runtime API. */
  RuntimeApiStub.Answer invoke(String event) throws Exception {
    try {
      return runtime.await(api.invoke(event.getBytes(StandardCharsets.UTF_8), 10_000), 60);
    } catch (java.util.concurrent.TimeoutException e) {
      return fail("No answer from the runtime client; its output:\n" + runtime.output());
    }
  }

  /**
   * Invokes the API function and checks its answer is a response API Gateway's proxy integration
   * accepts: integer status, string headers, string body, boolean isBase64Encoded, nothing else.
   */
  TestApi.Response invokeApi(String event) throws Exception {
    RuntimeApiStub.Answer answer = invoke(event);
    assertFalse(answer.error(), () -> "function error: " + answer.text() + "\n" + runtime.output());
    JsonNode response = TestApi.JSON.readTree(answer.body());
    for (Iterator<String> names = response.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      assertTrue(PROXY_RESPONSE_FIELDS.contains(field), "unexpected field " + field);
    }
    assertTrue(response.get("statusCode").isInt(), response::toString);
    assertTrue(response.get("isBase64Encoded").isBoolean(), response::toString);
    Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    response
        .get("headers")
        .fields()
        .forEachRemaining(
            h -> {
              assertTrue(h.getValue().isTextual(), () -> "header " + h.getKey() + " not a string");
              headers.put(h.getKey(), h.getValue().asText());
            });
    JsonNode body = response.get("body");
    assertTrue(body == null || body.isTextual(), response::toString);
    return new TestApi.Response(
        response.get("statusCode").asInt(), headers, body == null ? "" : body.asText());
  }

  static ObjectNode sample(String file) throws Exception {
    return (ObjectNode)
        TestApi.JSON.readTree(
            Files.readString(TestApi.projectRoot().resolve("events").resolve(file)));
  }

  String output() {
    return runtime.output();
  }

  @Override
  public void close() throws Exception {
    try {
      runtime.close();
      api.close();
    } finally {
      rig.close();
    }
  }

  static void assertProblem(TestApi.Response response, int status, String slug) {
    assertEquals(status, response.status(), response.body());
    assertEquals("application/problem+json", response.header("Content-Type"));
    assertEquals(ServiceContract.PROBLEM_TYPE_BASE + slug, response.json().get("type").asText());
    assertEquals(response.header("X-Request-Id"), response.json().get("requestId").asText());
  }
}
