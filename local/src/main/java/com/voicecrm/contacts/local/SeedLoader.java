package com.voicecrm.contacts.local;

import com.voicecrm.contacts.config.AppConfig;
import com.voicecrm.contacts.config.DynamoClients;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.config.UsagePlans;
import com.voicecrm.contacts.domain.Access;
import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.domain.ApiKeys;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import com.voicecrm.contacts.store.DynamoDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Loads a seed file (accounts, workspaces, API keys; SPEC section 6) into a table, local or
 * deployed. Idempotent: loading the same seed twice changes nothing.
 *
 * <p>As an ops command: {@code java -cp local/target/contacts-local.jar
 * com.voicecrm.contacts.local.SeedLoader --table NAME --seed path/to/seed.json [--endpoint URL]}:
 * against a deployed table with the default AWS credentials and region (AWS_PROFILE, AWS_REGION,
 * ...), or against a local DynamoDB-compatible server at {@code --endpoint}.
 */
public final class SeedLoader {

  private static final String USAGE =
      "usage: SeedLoader --table NAME --seed path/to/seed.json [--endpoint URL]\n"
          + "  without --endpoint: the deployed table, with the default AWS credentials and region";

  private final DynamoDirectory directory;
  private final DynamoApiKeyStore apiKeys;

  public SeedLoader(DynamoDbClient dynamo, String table) {
    this.directory = new DynamoDirectory(dynamo, table);
    this.apiKeys = new DynamoApiKeyStore(dynamo, table);
  }

  /** What a seed file held, for a summary line. */
  public record Summary(int accounts, int workspaces, int apiKeys) {}

  public Summary load(Path seedFile) throws IOException {
    SeedJson seed = SeedJson.read(seedFile);
    List<String> problems = validate(seed);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid seed " + seedFile + ": " + String.join("; ", problems));
    }
    for (SeedJson account : seed.path("accounts")) {
      directory.putAccount(account.path("id").asText(), account.path("name").asText(null));
    }
    for (SeedJson workspace : seed.path("workspaces")) {
      List<String> fields = new ArrayList<>();
      workspace.path("customFields").forEach(f -> fields.add(f.asText()));
      directory.putWorkspace(
          workspace.path("id").asText().toLowerCase(java.util.Locale.ROOT),
          workspace.path("accountId").asText(),
          workspace.path("name").asText(null),
          textOrNull(workspace, "defaultTimezone"),
          fields);
    }
    Instant now = Instant.now();
    for (SeedJson key : seed.path("apiKeys")) {
      String workspaceId = textOrNull(key, "workspaceId");
      apiKeys.put(
          new ApiKeyRecord(
              ApiKeys.hash(key.path("key").asText()),
              key.path("accountId").asText(),
              workspaceId == null ? null : workspaceId.toLowerCase(java.util.Locale.ROOT),
              textOrNull(key, "usagePlan"),
              textOrNull(key, "description"),
              now,
              null));
    }
    return new Summary(
        seed.path("accounts").size(), seed.path("workspaces").size(), seed.path("apiKeys").size());
  }

  private static List<String> validate(SeedJson seed) {
    List<String> problems = new ArrayList<>();
    for (SeedJson workspace : seed.path("workspaces")) {
      String id = workspace.path("id").asText();
      if (!Access.isUuid(id)) {
        problems.add("workspace id " + id + " is not a UUID");
      }
      String zone = textOrNull(workspace, "defaultTimezone");
      if (zone != null && !ZoneId.getAvailableZoneIds().contains(zone)) {
        problems.add("workspace " + id + " has unknown timezone " + zone);
      }
    }
    for (SeedJson key : seed.path("apiKeys")) {
      if (!ApiKeys.isWellFormed(key.path("key").asText())) {
        problems.add(
            "an API key is not of the form sk_live_/sk_test_ + 32 or more URL-safe characters");
      }
      if (key.path("accountId").asText().isEmpty()) {
        problems.add("an API key has no accountId");
      }
      String plan = textOrNull(key, "usagePlan");
      if (plan != null && !UsagePlans.FREE.equals(plan) && !UsagePlans.PRO.equals(plan)) {
        problems.add("an API key names unknown usage plan " + plan + " (free or pro)");
      }
    }
    return problems;
  }

  private static String textOrNull(SeedJson node, String field) {
    SeedJson value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> options = options(args);
    String table = options.get("--table");
    String seed = options.get("--seed");
    if (options.containsKey("--help") || table == null || seed == null) {
      System.err.println(USAGE);
      System.exit(options.containsKey("--help") ? 0 : 2);
    }
    String endpoint = options.get("--endpoint");
    try (DynamoDbClient dynamo =
        endpoint == null
            ? DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build()
            : DynamoClients.create(
                AppConfig.from(
                    Map.of(
                        ServiceContract.ENV_TABLE_NAME,
                        table,
                        ServiceContract.ENV_DYNAMODB_ENDPOINT,
                        endpoint)))) {
      Summary summary = new SeedLoader(dynamo, table).load(Path.of(seed));
      System.out.printf(
          "Loaded %d accounts, %d workspaces, %d API keys into %s%n",
          summary.accounts(), summary.workspaces(), summary.apiKeys(), table);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--table", "--seed", "--endpoint" -> {
          if (i + 1 == args.length) {
            System.err.println(args[i] + " needs a value\n" + USAGE);
            System.exit(2);
          }
          options.put(args[i], args[++i]);
        }
        case "--help", "-h" -> options.put("--help", "");
        default -> {
          System.err.println("Unknown option " + args[i] + "\n" + USAGE);
          System.exit(2);
        }
      }
    }
    return options;
  }
}
