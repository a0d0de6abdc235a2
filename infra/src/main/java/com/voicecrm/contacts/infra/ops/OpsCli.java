package com.voicecrm.contacts.infra.ops;

import com.voicecrm.contacts.infra.ContactsApp;
import com.voicecrm.contacts.infra.ContactsStack;
import com.voicecrm.contacts.infra.EnvironmentConfig;
import com.voicecrm.contacts.store.DynamoApiKeyStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Command line of the API key operations (run through {@code infra/scripts/ops.sh}). Uses the
 * caller's AWS credentials and region (the usual AWS_PROFILE / AWS_REGION). The table and the usage
 * plans are read from the outputs of the environment's stack unless given explicitly.
 *
 * <pre>
 * ops.sh create-key --env dev --account acc_demo [--workspace UUID] [--plan free|pro]
 *                   [--live|--test] [--description TEXT]
 * ops.sh revoke-key --env dev --key-id 0123456789ab
 * ops.sh list-keys  --env dev
 * common overrides: --table NAME  --usage-plan-id ID  --rest-api-id ID
 * </pre>
 */
public final class OpsCli {

  private OpsCli() {}

  public static void main(String[] argv) {
    try {
      System.exit(run(argv));
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
    }
  }

  static int run(String[] argv) {
    if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("-h")) {
      System.out.println(usage());
      return argv.length == 0 ? 2 : 0;
    }
    String command = argv[0];
    Args args = Args.parse(List.of(argv).subList(1, argv.length));
    String env = args.value("env").orElse(EnvironmentConfig.DEFAULT_ENV);

    try (ApiGatewayClient apiGateway = ApiGatewayClient.create();
        DynamoDbClient dynamo = DynamoDbClient.create()) {
      Map<String, String> outputs =
          args.value("table").isPresent()
                  && (!command.equals("create-key") || args.value("usage-plan-id").isPresent())
                  && (!command.equals("revoke-key") || args.value("rest-api-id").isPresent())
              ? Map.of()
              : stackOutputs(ContactsApp.stackName(env));
      String table =
          args.value("table").orElseGet(() -> required(outputs, ContactsStack.OUTPUT_TABLE_NAME));
      String restApiId = args.value("rest-api-id").orElse(outputs.get(ContactsStack.OUTPUT_API_ID));
      ApiKeyOps ops =
          new ApiKeyOps(
              apiGateway, new DynamoApiKeyStore(dynamo, table), Clock.systemUTC(), env, restApiId);
      switch (command) {
        case "create-key" -> {
          String plan = args.value("plan").orElse(ContactsStack.PLAN_FREE);
          String planOutput =
              switch (plan) {
                case ContactsStack.PLAN_FREE -> ContactsStack.OUTPUT_FREE_PLAN_ID;
                case ContactsStack.PLAN_PRO -> ContactsStack.OUTPUT_PRO_PLAN_ID;
                default -> throw new IllegalArgumentException("--plan must be free or pro");
              };
          String planId =
              args.value("usage-plan-id").orElseGet(() -> required(outputs, planOutput));
          boolean live =
              args.flag("live") || (!args.flag("test") && EnvironmentConfig.PROD.equals(env));
          ApiKeyOps.CreatedKey created =
              ops.create(
                  live,
                  args.value("account")
                      .orElseThrow(() -> new IllegalArgumentException("--account is required")),
                  args.value("workspace").orElse(null),
                  plan,
                  planId,
                  args.value("description").orElse(null));
          System.err.println(
              "created key "
                  + created.keyId()
                  + " ("
                  + plan
                  + " plan, "
                  + env
                  + "); it is shown once, store it now:");
          System.out.println(created.key());
        }
        case "revoke-key" -> {
          String keyId =
              args.value("key-id")
                  .orElseThrow(() -> new IllegalArgumentException("--key-id is required"));
          if (!ops.revoke(keyId)) {
            System.err.println("no key with id " + keyId);
            return 1;
          }
          System.err.println(
              "revoked "
                  + keyId
                  + " (record revoked, API Gateway key disabled, stage authorizer cache flushed)");
        }
        case "list-keys" -> ApiKeyOps.print(ops.list(), System.out);
        default -> throw new IllegalArgumentException("unknown command " + command);
      }
    }
    return 0;
  }

  private static Map<String, String> stackOutputs(String stackName) {
    try (CloudFormationClient cloudFormation = CloudFormationClient.create()) {
      Map<String, String> outputs = new HashMap<>();
      for (Output output :
          cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks().get(0).outputs()) {
        outputs.put(output.outputKey(), output.outputValue());
      }
      return outputs;
    }
  }

  private static String required(Map<String, String> outputs, String key) {
    String value = outputs.get(key);
    if (value == null) {
      throw new IllegalArgumentException("stack output " + key + " not found; deployed?");
    }
    return value;
  }

  static String usage() {
    return String.join(
        "\n",
        "usage: ops.sh <command> [options]",
        "  create-key --env ENV --account ID [--workspace UUID] [--plan free|pro]",
        "             [--live|--test] [--description TEXT]   prints the new key once",
        "  revoke-key --env ENV --key-id ID                  disables the key, flushes the cache",
        "  list-keys  --env ENV                              ids and scopes, never keys",
        "  overrides: --table NAME --usage-plan-id ID --rest-api-id ID (instead of the stack"
            + " outputs)",
        "  load a seed: see README.md, Deploy (com.voicecrm.contacts.local.SeedLoader)");
  }

  /** {@code --name value} options and {@code --flag} switches. */
  record Args(Map<String, String> values, List<String> flags) {

    private static final List<String> FLAGS = List.of("live", "test");

    static Args parse(List<String> argv) {
      Map<String, String> values = new HashMap<>();
      List<String> flags = new java.util.ArrayList<>();
      for (int i = 0; i < argv.size(); i++) {
        String arg = argv.get(i);
        if (!arg.startsWith("--")) {
          throw new IllegalArgumentException("unexpected argument " + arg);
        }
        String name = arg.substring(2);
        if (FLAGS.contains(name)) {
          flags.add(name);
        } else if (i + 1 < argv.size()) {
          values.put(name, argv.get(++i));
        } else {
          throw new IllegalArgumentException(arg + " needs a value");
        }
      }
      if (flags.containsAll(FLAGS)) {
        throw new IllegalArgumentException("--live and --test exclude each other");
      }
      return new Args(Map.copyOf(values), List.copyOf(flags));
    }

    java.util.Optional<String> value(String name) {
      return java.util.Optional.ofNullable(values.get(name)).filter(v -> !v.isBlank());
    }

    boolean flag(String name) {
      return flags.contains(name);
    }
  }
}
