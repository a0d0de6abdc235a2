package com.voicecrm.contacts.infra.ops;

import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.domain.ApiKeys;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ApiKey;
import software.amazon.awssdk.services.apigateway.model.CreateApiKeyResponse;
import software.amazon.awssdk.services.apigateway.model.Op;

/**
 * Operator commands for API keys of one deployed environment. A key lives in two places that must
 * agree: API Gateway (an API key with the same value, in a usage plan, so the plan can meter and
 * throttle it; the authorizer hands the key back as {@code usageIdentifierKey}) and the table (only
 * the hash and the scope, which the authorizer checks). The key itself is printed once, at
 * creation, and stored nowhere. The stage is named like the environment.
 */
public final class ApiKeyOps {

  private final ApiGatewayClient apiGateway;
  private final DynamoApiKeyStore store;
  private final Clock clock;
  private final String environment;
  private final String restApiId;

  /**
   * @param restApiId the environment's REST API, whose stage's authorizer cache {@link #revoke}
   *     flushes; null when only keys are created or listed
   */
  public ApiKeyOps(
      ApiGatewayClient apiGateway,
      DynamoApiKeyStore store,
      Clock clock,
      String environment,
      String restApiId) {
    this.apiGateway = Objects.requireNonNull(apiGateway);
    this.store = Objects.requireNonNull(store);
    this.clock = Objects.requireNonNull(clock);
    this.environment = Objects.requireNonNull(environment);
    this.restApiId = restApiId;
  }

  /** What {@link #create} made: the key (show once) and its non-secret id. */
  public record CreatedKey(String key, String keyId, String apiGatewayKeyId) {}

  /**
   * Creates a key for an account ({@code workspaceId} null) or one workspace, in the usage plan
   * {@code usagePlanId}. If a later step fails, the API Gateway key made by an earlier one is
   * deleted again, so a failed run leaves no usable half-key.
   */
  public CreatedKey create(
      boolean live,
      String accountId,
      String workspaceId,
      String plan,
      String usagePlanId,
      String description) {
    String key = ApiKeys.generate(live);
    String hash = ApiKeys.hash(key);
    String keyId = ApiKeys.keyId(hash);
    CreateApiKeyResponse created =
        apiGateway.createApiKey(
            r ->
                r.name(apiGatewayKeyName(keyId))
                    .description(description == null ? "contacts " + environment : description)
                    .value(key)
                    .enabled(true));
    try {
      apiGateway.createUsagePlanKey(
          r -> r.usagePlanId(usagePlanId).keyId(created.id()).keyType("API_KEY"));
      store.put(
          new ApiKeyRecord(hash, accountId, workspaceId, plan, description, clock.instant(), null));
    } catch (RuntimeException e) {
      apiGateway.deleteApiKey(r -> r.apiKey(created.id()));
      throw e;
    }
    return new CreatedKey(key, keyId, created.id());
  }

  /**
   * Revokes the key with this id (the 12-hex-digit prefix of its hash, as {@code list} shows):
   * marks the record revoked, disables the API Gateway key, and flushes the stage's authorizer
   * cache, so no cached Allow for the key outlives the revocation.
   */
  public boolean revoke(String keyId) {
    if (restApiId == null) {
      throw new IllegalStateException("revoke needs the REST API id to flush the authorizer cache");
    }
    Optional<ApiKeyRecord> record = findByKeyId(keyId);
    if (record.isEmpty()) {
      return false;
    }
    store.revoke(record.get().keyHash(), clock.instant());
    apiGatewayKey(keyId)
        .ifPresent(
            apiKey ->
                apiGateway.updateApiKey(
                    r ->
                        r.apiKey(apiKey.id())
                            .patchOperations(
                                p -> p.op(Op.REPLACE).path("/enabled").value("false"))));
    // Last, after the record: a request between the flush and the record's update would cache
    // the old answer again.
    apiGateway.flushStageAuthorizersCache(r -> r.restApiId(restApiId).stageName(environment));
    return true;
  }

  /** Every key record of the table; never a key, only ids and scopes. */
  public List<ApiKeyRecord> list() {
    return store.list();
  }

  /** Name of the API Gateway key of a record: environment plus the non-secret key id. */
  public String apiGatewayKeyName(String keyId) {
    return "contacts-" + environment + "-" + keyId;
  }

  private Optional<ApiKeyRecord> findByKeyId(String keyId) {
    List<ApiKeyRecord> matches =
        store.list().stream().filter(r -> r.keyId().equals(keyId)).collect(Collectors.toList());
    if (matches.size() > 1) {
      throw new IllegalStateException("key id " + keyId + " is ambiguous");
    }
    return matches.stream().findFirst();
  }

  private Optional<ApiKey> apiGatewayKey(String keyId) {
    String name = apiGatewayKeyName(keyId);
    return apiGateway.getApiKeysPaginator(r -> r.nameQuery(name)).items().stream()
        .filter(k -> name.equals(k.name()))
        .findFirst();
  }

  /** One line per record, for {@code list}. */
  static void print(List<ApiKeyRecord> records, PrintStream out) {
    out.printf(
        "%-12s  %-8s  %-20s  %-36s  %-5s  %s%n",
        "KEY_ID", "STATUS", "ACCOUNT", "WORKSPACE", "PLAN", "CREATED");
    for (ApiKeyRecord r : records) {
      out.printf(
          "%-12s  %-8s  %-20s  %-36s  %-5s  %s%n",
          r.keyId(),
          r.isActive() ? "active" : "revoked",
          r.accountId(),
          r.workspaceId() == null ? "(account key)" : r.workspaceId(),
          r.usagePlan() == null ? "-" : r.usagePlan(),
          r.createdAt());
    }
  }
}
