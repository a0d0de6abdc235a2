package com.voicecrm.contacts.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The stack publishes the OpenAPI document that {@code make openapi} bundles: {@code GET
 * /openapi.json} on the stage, without a key, answered by API Gateway with the bundle read at synth
 * time.
 */
class ApiDescriptionTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The keyless method that serves the document (the only one of its kind). */
  static boolean isDescriptionMethod(Map<String, Object> method) {
    Object integration = properties(method).get("Integration");
    return integration instanceof Map<?, ?> map && "MOCK".equals(map.get("Type"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(Map<String, Object> resource) {
    return (Map<String, Object>) resource.get("Properties");
  }

  /** The response template of the stack's GET /openapi.json, as synthesised. */
  @SuppressWarnings("unchecked")
  private static String servedTemplate(Template template) {
    List<Map<String, Object>> methods =
        template.findResources("AWS::ApiGateway::Method", Match.anyValue()).values().stream()
            .filter(ApiDescriptionTest::isDescriptionMethod)
            .toList();
    assertEquals(1, methods.size(), "one method serves the document");
    Map<String, Object> integration =
        (Map<String, Object>) properties(methods.get(0)).get("Integration");
    Map<String, Object> response =
        ((List<Map<String, Object>>) integration.get("IntegrationResponses")).get(0);
    return ((Map<String, String>) response.get("ResponseTemplates")).get("application/json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void stage_servesGetOpenapiJson_withoutKey_fromAMockIntegration(String env) {
    Template template = Stacks.forEnv(env).template();
    Map<String, Map<String, Object>> resources =
        template.findResources(
            "AWS::ApiGateway::Resource",
            Match.objectLike(
                Map.of(
                    "Properties", Match.objectLike(Map.of("PathPart", ApiDescription.PATH_PART)))));
    assertEquals(1, resources.size());
    String resourceId = resources.keySet().iterator().next();
    // Directly under the stage root: <ApiUrl>openapi.json.
    assertTrue(
        properties(resources.get(resourceId)).get("ParentId").toString().contains("RootResourceId"),
        resources.toString());

    template.hasResourceProperties(
        "AWS::ApiGateway::Method",
        Match.objectLike(
            Map.of(
                "HttpMethod",
                "GET",
                "ResourceId",
                Map.of("Ref", resourceId),
                "AuthorizationType",
                "NONE",
                "AuthorizerId",
                Match.absent(),
                "ApiKeyRequired",
                false,
                "MethodResponses",
                List.of(Map.of("StatusCode", "200")),
                "Integration",
                Match.objectLike(
                    Map.of(
                        "Type",
                        "MOCK",
                        "PassthroughBehavior",
                        "NEVER",
                        "RequestTemplates",
                        Map.of("application/json", "{\"statusCode\": 200}"),
                        "IntegrationResponses",
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "StatusCode",
                                    "200",
                                    "ResponseTemplates",
                                    Map.of(
                                        "application/json",
                                        Match.stringLikeRegexp(
                                            "^\\{\"openapi\":\"3\\.1.*"))))))))));
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void servedDocument_isTheBundle_asJson(String env) throws Exception {
    String served = servedTemplate(Stacks.forEnv(env).template());

    JsonNode bundle = JSON.readTree(ApiDescription.locate().toFile());
    assertEquals(bundle, JSON.readTree(served));
    // Every route of the document is served, whatever it holds.
    assertTrue(bundle.path("paths").has("/v1/contacts/upsert"));
  }

  @Test
  void responseTemplate_hasNothingVelocityReads_andRendersTheSameJson(@TempDir Path dir)
      throws Exception {
    Path document = dir.resolve("doc.json");
    String original =
        "{\"a\":{\"$ref\":\"#/components/schemas/X\"},\"pattern\":\"^[+]?[0-9]{2}$\","
            + "\"comment\":\"## not a comment #set($x = 1)\",\"text\":\"32–128 → \\\"ok\\\"\\n\","
            + "\"exact\":[1.0,2.50,1e3,12345678901234567890],\"slash\":\"a\\\\$b\"}";
    Files.writeString(document, original, StandardCharsets.UTF_8);

    String template = ApiDescription.responseTemplate(document);

    assertFalse(template.contains("$"), template);
    assertFalse(template.contains("#"), template);
    assertTrue(template.chars().allMatch(c -> c < 128), template);
    assertEquals(JSON.readTree(original), JSON.readTree(template));
    // Numbers keep their text.
    assertTrue(template.contains("[1.0,2.50,1e3,12345678901234567890]"), template);
  }

  @Test
  void responseTemplate_refusesADocumentOverTheMappingTemplateQuota(@TempDir Path dir)
      throws Exception {
    Path document = dir.resolve("big.json");
    Files.writeString(
        document, "{\"description\":\"" + "x".repeat(ApiDescription.MAX_TEMPLATE_BYTES) + "\"}");

    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> ApiDescription.responseTemplate(document));
    assertTrue(e.getMessage().contains("quota of 300 KB"), e.getMessage());
  }

  @Test
  void responseTemplate_refusesWhatIsNotOneJsonDocument(@TempDir Path dir) throws Exception {
    Path document = dir.resolve("two.json");
    Files.writeString(document, "{} {}");

    assertThrows(IllegalArgumentException.class, () -> ApiDescription.responseTemplate(document));
  }

  /**
   * A route added to the YAML needs no infra change: it is in the served document, and the changed
   * method gives the deployment a new logical id, so the next deploy reaches the stage.
   */
  @Test
  void aRouteAddedToTheDocument_isServed_andRedeploysTheStage(@TempDir Path dir) throws Exception {
    ObjectNode document = (ObjectNode) JSON.readTree(ApiDescription.locate().toFile());
    ((ObjectNode) document.path("paths"))
        .putObject("/v1/contacts/batch")
        .putObject("post")
        .put("operationId", "batchUpsertContacts");
    Path changed = dir.resolve("openapi.json");
    JSON.writeValue(changed.toFile(), document);

    Template template =
        Template.fromStack(
            ContactsApp.addStacks(
                ContactsApp.newApp(),
                EnvironmentConfig.forName("dev"),
                FunctionArtifact.locate(),
                changed));

    assertEquals(document, JSON.readTree(servedTemplate(template)));
    assertNotEquals(
        deploymentIds(Stacks.dev().template()),
        deploymentIds(template),
        "a new document must create a new deployment");
  }

  private static java.util.Set<String> deploymentIds(Template template) {
    return template.findResources("AWS::ApiGateway::Deployment", Match.anyValue()).keySet();
  }
}
