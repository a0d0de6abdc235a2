package com.voicecrm.contacts.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.voicecrm.contacts.config.AppConfig;
import com.voicecrm.contacts.config.DynamoClients;
import com.voicecrm.contacts.config.LogFields;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.ApiKeyLookup;
import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.domain.ApiKeys;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TOKEN authorizer: resolves {@code Authorization: Bearer <key>} to its scope by the key's
 * hash. An allowed key gets a policy for the whole API (API Gateway caches it per key), its scope
 * in the context and itself as {@code usageIdentifierKey}, so usage plans meter and throttle per
 * key. Anything else is "Unauthorized", which API Gateway answers with 401.
 */
public final class ApiKeyAuthorizer
    implements RequestHandler<APIGatewayCustomAuthorizerEvent, Map<String, Object>> {

  /** The exact message API Gateway turns into a 401. */
  public static final String UNAUTHORIZED = "Unauthorized";

  /**
   * How the Lambda runtime begins the ERROR record it logs for a rejected key, {@code "<message>:
   * <type>"}: the stack's authorizer alarm leaves these out, and the runtime tier checks the
   * runtime client still writes them so.
   */
  public static final String REJECTION_LOG_PREFIX =
      UNAUTHORIZED + ": " + UnauthorizedException.class.getName();

  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAuthorizer.class);
  private static final String BEARER = "Bearer ";

  private final ApiKeyLookup keys;

  public ApiKeyAuthorizer() {
    this(AppConfig.fromEnvironment());
  }

  private ApiKeyAuthorizer(AppConfig config) {
    this(new DynamoApiKeyStore(DynamoClients.create(config), config.tableName()));
  }

  public ApiKeyAuthorizer(ApiKeyLookup keys) {
    this.keys = keys;
  }

  /** Thrown for every key that must not pass; Lambda reports it and API Gateway answers 401. */
  public static final class UnauthorizedException extends RuntimeException {
    UnauthorizedException() {
      super(UNAUTHORIZED, null, false, false);
    }
  }

  @Override
  public Map<String, Object> handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
    String key = bearerKey(event.getAuthorizationToken()).orElseThrow(UnauthorizedException::new);
    String keyHash = ApiKeys.hash(key);
    ApiKeyRecord record =
        keys.findByHash(keyHash)
            .filter(ApiKeyRecord::isActive)
            .orElseThrow(
                () -> {
                  LogFields.open(context, null, ApiKeys.keyId(keyHash));
                  LOG.info("Rejected an unknown or revoked key");
                  LogFields.close();
                  return new UnauthorizedException();
                });

    Map<String, Object> authorizerContext = new LinkedHashMap<>();
    authorizerContext.put(ServiceContract.CONTEXT_ACCOUNT_ID, record.accountId());
    authorizerContext.put(
        ServiceContract.CONTEXT_WORKSPACE_ID,
        record.workspaceId() == null ? "" : record.workspaceId());
    authorizerContext.put(ServiceContract.CONTEXT_KEY_ID, record.keyId());

    Map<String, Object> statement = new LinkedHashMap<>();
    statement.put("Action", "execute-api:Invoke");
    statement.put("Effect", "Allow");
    statement.put("Resource", wholeApi(event.getMethodArn()));
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("Version", "2012-10-17");
    policy.put("Statement", List.of(statement));

    Map<String, Object> response = new LinkedHashMap<>();
    response.put("principalId", record.keyId());
    response.put("policyDocument", policy);
    response.put("context", authorizerContext);
    response.put("usageIdentifierKey", key);
    return response;
  }

  static Optional<String> bearerKey(String authorization) {
    if (authorization == null || authorization.length() <= BEARER.length()) {
      return Optional.empty();
    }
    if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    String key = authorization.substring(BEARER.length()).trim();
    return ApiKeys.isWellFormed(key) ? Optional.of(key) : Optional.empty();
  }

  /**
   * {@code arn:...:apiId/stage/*\/*} from the method ARN: the policy is cached per key for every
   * route, so it must allow all of them, not only the first one called.
   */
  static String wholeApi(String methodArn) {
    if (methodArn == null) {
      return "*";
    }
    String[] parts = methodArn.split("/", 3);
    return parts.length < 2 ? methodArn : parts[0] + "/" + parts[1] + "/*/*";
  }
}
