package com.voicecrm.contacts.infra.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.domain.ApiKeys;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.CreateApiKeyRequest;
import software.amazon.awssdk.services.apigateway.model.CreateApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.CreateUsagePlanKeyRequest;
import software.amazon.awssdk.services.apigateway.model.CreateUsagePlanKeyResponse;
import software.amazon.awssdk.services.apigateway.model.DeleteApiKeyRequest;
import software.amazon.awssdk.services.apigateway.model.DeleteApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.FlushStageAuthorizersCacheRequest;
import software.amazon.awssdk.services.apigateway.model.FlushStageAuthorizersCacheResponse;
import software.amazon.awssdk.services.apigateway.model.GetApiKeysRequest;
import software.amazon.awssdk.services.apigateway.model.GetApiKeysResponse;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.UpdateApiKeyRequest;
import software.amazon.awssdk.services.apigateway.model.UpdateApiKeyResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The ops commands' bookkeeping between API Gateway and the key records, with in-memory fakes of
 * both services (the real store class runs against the fake DynamoDB client).
 */
class ApiKeyOpsTest {

  private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  private final FakeApiGateway apiGateway = new FakeApiGateway();
  private final FakeDynamo dynamo = new FakeDynamo();
  private final ApiKeyOps ops =
      new ApiKeyOps(
          apiGateway,
          new DynamoApiKeyStore(dynamo, "t"),
          Clock.fixed(NOW, ZoneOffset.UTC),
          "dev",
          "api123");

  @Test
  void create_addsGatewayKeyWithSameValueToPlan_andStoresOnlyTheHash() {
    ApiKeyOps.CreatedKey created = ops.create(false, "acc_1", null, "free", "plan-free", null);

    assertTrue(created.key().matches("sk_test_[A-Za-z0-9_-]{40}"), created.key());
    assertTrue(ApiKeys.isWellFormed(created.key()));
    ApiKey gatewayKey = apiGateway.keys.get(created.apiGatewayKeyId());
    assertEquals(created.key(), gatewayKey.value());
    assertEquals("contacts-dev-" + created.keyId(), gatewayKey.name());
    assertTrue(gatewayKey.enabled());
    assertEquals(List.of("plan-free:" + created.apiGatewayKeyId()), apiGateway.planKeys);

    List<ApiKeyRecord> records = ops.list();
    assertEquals(1, records.size());
    assertEquals(ApiKeys.hash(created.key()), records.get(0).keyHash());
    assertEquals("acc_1", records.get(0).accountId());
    assertNull(records.get(0).workspaceId());
    assertEquals("free", records.get(0).usagePlan());
    assertEquals(NOW, records.get(0).createdAt());
    assertFalse(dynamo.items.toString().contains(created.key()), "key stored in clear");
  }

  @Test
  void create_live_makesLiveKey() {
    assertTrue(
        ops.create(true, "acc_1", "ws", "pro", "plan-pro", "d").key().startsWith("sk_live_"));
  }

  @Test
  void create_deletesGatewayKey_whenAddingItToThePlanFails() {
    apiGateway.failUsagePlanKey = true;

    assertThrows(
        NotFoundException.class,
        () -> ops.create(false, "acc_1", null, "free", "no-such-plan", null));

    assertTrue(apiGateway.keys.isEmpty());
    assertTrue(ops.list().isEmpty());
  }

  @Test
  void revoke_marksRecordRevoked_andDisablesGatewayKey() {
    ApiKeyOps.CreatedKey created = ops.create(false, "acc_1", null, "free", "plan-free", null);

    assertTrue(ops.revoke(created.keyId()));

    assertFalse(ops.list().get(0).isActive());
    assertFalse(apiGateway.keys.get(created.apiGatewayKeyId()).enabled());
  }

  @Test
  void revoke_flushesTheStageAuthorizerCache_afterRevokingTheRecord() {
    ApiKeyOps.CreatedKey created = ops.create(false, "acc_1", null, "free", "plan-free", null);
    apiGateway.onFlush = () -> assertFalse(ops.list().get(0).isActive(), "flushed too early");

    assertTrue(ops.revoke(created.keyId()));

    assertEquals(List.of("api123/dev"), apiGateway.flushedStages);
  }

  @Test
  void revoke_withoutRestApiId_failsBeforeChangingAnything() {
    ApiKeyOps.CreatedKey created = ops.create(false, "acc_1", null, "free", "plan-free", null);
    ApiKeyOps withoutApi =
        new ApiKeyOps(
            apiGateway,
            new DynamoApiKeyStore(dynamo, "t"),
            Clock.fixed(NOW, ZoneOffset.UTC),
            "dev",
            null);

    assertThrows(IllegalStateException.class, () -> withoutApi.revoke(created.keyId()));

    assertTrue(ops.list().get(0).isActive());
    assertTrue(apiGateway.keys.get(created.apiGatewayKeyId()).enabled());
  }

  @Test
  void revoke_unknownKeyId_changesNothing() {
    ApiKeyOps.CreatedKey created = ops.create(false, "acc_1", null, "free", "plan-free", null);

    assertFalse(ops.revoke("000000000000"));

    assertTrue(ops.list().get(0).isActive());
    assertTrue(apiGateway.keys.get(created.apiGatewayKeyId()).enabled());
    assertTrue(apiGateway.flushedStages.isEmpty());
  }

  @Test
  void args_parseOptionsAndFlags_rejectDanglingOption() {
    OpsCli.Args args = OpsCli.Args.parse(List.of("--env", "prod", "--live", "--account", "a"));
    assertEquals("prod", args.value("env").orElseThrow());
    assertTrue(args.flag("live"));
    assertThrows(IllegalArgumentException.class, () -> OpsCli.Args.parse(List.of("--env")));
    assertThrows(
        IllegalArgumentException.class, () -> OpsCli.Args.parse(List.of("--live", "--test")));
  }

  /** API keys and usage plan memberships in memory. */
  private static final class FakeApiGateway implements ApiGatewayClient {
    final Map<String, ApiKey> keys = new LinkedHashMap<>();
    final List<String> planKeys = new ArrayList<>();
    final List<String> flushedStages = new ArrayList<>();
    Runnable onFlush = () -> {};
    boolean failUsagePlanKey;
    private int next;

    @Override
    public CreateApiKeyResponse createApiKey(CreateApiKeyRequest request) {
      String id = "key" + (++next);
      keys.put(
          id,
          ApiKey.builder()
              .id(id)
              .name(request.name())
              .value(request.value())
              .enabled(request.enabled())
              .build());
      return CreateApiKeyResponse.builder().id(id).name(request.name()).build();
    }

    @Override
    public CreateUsagePlanKeyResponse createUsagePlanKey(CreateUsagePlanKeyRequest request) {
      if (failUsagePlanKey) {
        throw NotFoundException.builder().message("Invalid Usage Plan ID specified").build();
      }
      planKeys.add(request.usagePlanId() + ":" + request.keyId());
      return CreateUsagePlanKeyResponse.builder().id(request.keyId()).build();
    }

    @Override
    public DeleteApiKeyResponse deleteApiKey(DeleteApiKeyRequest request) {
      keys.remove(request.apiKey());
      return DeleteApiKeyResponse.builder().build();
    }

    @Override
    public UpdateApiKeyResponse updateApiKey(UpdateApiKeyRequest request) {
      ApiKey key = keys.get(request.apiKey());
      boolean enabled =
          request.patchOperations().stream()
              .filter(p -> p.path().equals("/enabled"))
              .map(p -> Boolean.parseBoolean(p.value()))
              .findFirst()
              .orElse(key.enabled());
      keys.put(key.id(), key.toBuilder().enabled(enabled).build());
      return UpdateApiKeyResponse.builder().build();
    }

    @Override
    public FlushStageAuthorizersCacheResponse flushStageAuthorizersCache(
        FlushStageAuthorizersCacheRequest request) {
      onFlush.run();
      flushedStages.add(request.restApiId() + "/" + request.stageName());
      return FlushStageAuthorizersCacheResponse.builder().build();
    }

    @Override
    public GetApiKeysResponse getApiKeys(GetApiKeysRequest request) {
      return GetApiKeysResponse.builder()
          .items(
              keys.values().stream().filter(k -> k.name().startsWith(request.nameQuery())).toList())
          .build();
    }

    @Override
    public String serviceName() {
      return "apigateway";
    }

    @Override
    public void close() {}
  }

  /** The three table calls the key store makes, over a map keyed by pk. */
  private static final class FakeDynamo implements DynamoDbClient {
    final Map<String, Map<String, AttributeValue>> items = new HashMap<>();

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
      items.putIfAbsent(request.item().get("pk").s(), new HashMap<>(request.item()));
      return PutItemResponse.builder().build();
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
      Map<String, AttributeValue> item = items.get(request.key().get("pk").s());
      if (item == null) {
        throw software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException
            .builder()
            .message("missing")
            .build();
      }
      item.putIfAbsent("revokedAt", request.expressionAttributeValues().get(":at"));
      return UpdateItemResponse.builder().build();
    }

    @Override
    public ScanResponse scan(ScanRequest request) {
      AttributeValue sk = request.expressionAttributeValues().get(":sk");
      return ScanResponse.builder()
          .items(items.values().stream().filter(i -> sk.equals(i.get("sk"))).toList())
          .build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  }
}
