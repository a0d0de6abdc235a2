package com.voicecrm.contacts.bench;

import com.voicecrm.contacts.config.AppConfig;
import com.voicecrm.contacts.config.DynamoClients;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.local.MotoServer;
import com.voicecrm.contacts.local.SeedLoader;
import com.voicecrm.contacts.runtime.LambdaRuntime;
import com.voicecrm.contacts.store.TableSetup;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code make bench}: the function measured as Lambda runs it, against floors run the same way,
 * printed as one table. Run from the project root with the function's shaded jar, the local
 * module's classes (moto's launcher, the seed loader), the runtime tier's classes and this module's
 * classes on the class path.
 *
 * <p>System properties: {@code bench.coldRuns} (7), {@code bench.classRuns} (3), {@code
 * bench.snapRuns} (3), {@code bench.warmRuns} (3), {@code bench.warmIterations} (2000), {@code
 * bench.warmup} (300).
 */
public final class Bench {

  static final String FLOOR = "com.voicecrm.contacts.bench.floor.FloorHandler::handleRequest";
  static final String TYPED_FLOOR =
      "com.voicecrm.contacts.bench.floor.TypedFloorHandler::handleRequest";
  static final String MATCHED_FLOOR =
      "com.voicecrm.contacts.bench.floor.MatchedFloorHandler::handleRequest";

  /** The contact id in events/get.json and delete.json, replaced by a real one. */
  static final String SAMPLE_ID = "00000000-0000-4000-8000-000000000000";

  final Path root = Path.of("").toAbsolutePath();
  final Path functionJar = root.resolve("function/target/contacts-function.jar");
  final Path floorJar = root.resolve("bench/target/floor.jar");
  final Path event = root.resolve("events/upsert.json");
  final Path seed = root.resolve("events/local-seed.json");
  final Path logs = root.resolve("bench/target/bench-logs");
  final boolean taskset = onPath("taskset");
  final int cpus = Runtime.getRuntime().availableProcessors();

  MotoServer moto;
  DynamoDbClient setup;
  final Table table = new Table();

  private Bench() {}

  public static void main(String[] args) throws Exception {
    new Bench().run();
  }

  private void run() throws Exception {
    long started = System.nanoTime();
    int coldRuns = Integer.getInteger("bench.coldRuns", 7);
    int classRuns = Integer.getInteger("bench.classRuns", 3);
    int snapRuns = Integer.getInteger("bench.snapRuns", 3);
    int warmRuns = Integer.getInteger("bench.warmRuns", 3);
    int warmIterations = Integer.getInteger("bench.warmIterations", 2000);
    int warmup = Integer.getInteger("bench.warmup", 300);
    Files.createDirectories(logs);
    System.err.println("bench: starting moto");
    moto = MotoServer.start();
    pinMoto();
    setup =
        DynamoClients.create(
            AppConfig.from(
                Map.of(
                    ServiceContract.ENV_TABLE_NAME,
                    "bench",
                    ServiceContract.ENV_DYNAMODB_ENDPOINT,
                    moto.endpoint().toString())));
    Path functionTask =
        LambdaRuntime.unpack(functionJar, root.resolve("bench/target/task/function"));
    Path floorTask = LambdaRuntime.unpack(floorJar, root.resolve("bench/target/task/floor"));
    ColdStarts cold = new ColdStarts(this, functionTask, floorTask);

    // -Dbench.only=batch: the batch's row alone (about a minute), for work on the batch route;
    // -Dbench.only=costs: the request and unit rows alone, with no Lambda duration measured.
    String only = System.getProperty("bench.only", "");
    boolean batchOnly = only.equals("batch");
    if (only.equals("costs")) {
      table.note("bench.only=costs: no warm runs, so the all-in costs count 0 ms of Lambda.");
      new Costs(this).run(0, 0);
    } else if (!batchOnly) {
      cold.coldStarts(coldRuns);
      cold.classCounts(classRuns);
      cold.snapStart(snapRuns);
      double[] warm = new WarmRuns(this).run(warmRuns, warmup, warmIterations);
      new Costs(this).run(warm[0], warm[1]);
    }
    if (only.isEmpty() || batchOnly) {
      new BatchCosts(this).run(Integer.getInteger("bench.batchRounds", 3));
    }
    if (only.isEmpty()) {
      Artifact.rows(this);
    }

    moto.close();
    table.print(
        this,
        String.format(
            Locale.ROOT,
            "Contacts API benchmark: %d cold JVMs, %d class counts, %d SnapStart-modelled, %d warm JVMs x %d upserts; Java %s, %d CPUs (%s); %s; %d s",
            coldRuns,
            classRuns,
            snapRuns,
            warmRuns,
            warmIterations,
            System.getProperty("java.version"),
            cpus,
            cpuModel(),
            taskset ? "measured JVM on CPU 0, moto on CPU 1" : "no taskset",
            (System.nanoTime() - started) / 1_000_000_000));
  }

  /** A table of its own, seeded with the demo seed when {@code seeded}. */
  String createTable(String name, boolean seeded) throws IOException {
    TableSetup.createIfMissing(setup, name);
    if (seeded) {
      new SeedLoader(setup, name).load(seed);
    }
    return name;
  }

  /** The function's own environment variables, as the stack sets them, for {@code tableName}. */
  Map<String, String> functionEnvironment(String tableName) {
    return Map.of(
        ServiceContract.ENV_TABLE_NAME,
        tableName,
        ServiceContract.ENV_DYNAMODB_ENDPOINT,
        moto.endpoint().toString());
  }

  /** Pins the measured JVM to CPU 0; moto has CPU 1. */
  List<String> pinned() {
    return taskset ? List.of("taskset", "-c", "0") : List.of();
  }

  /**
   * Runs a plain JVM (the warm runs) with Lambda's flags and the environment Lambda gives a
   * function; returns its {@code RESULT} line.
   */
  String launch(String name, String tableName, String classpath, String... main)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(pinned());
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(LambdaRuntime.JVM_FLAGS);
    command.add("-cp");
    command.add(classpath);
    command.addAll(Arrays.asList(main));
    Path log = logs.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("AWS_")
                    || k.endsWith("JAVA_OPTIONS")
                    || k.equals("JAVA_TOOL_OPTIONS"));
    env.putAll(functionEnvironment(tableName));
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "ASIABENCHBENCHBENCH0");
    env.put("AWS_SECRET_ACCESS_KEY", "bench-secret");
    env.put("AWS_SESSION_TOKEN", "bench-session-token");
    Process process = builder.start();
    String result = null;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        int at = line.indexOf("RESULT ");
        if (at >= 0) {
          result = line.substring(at);
          break;
        }
      }
    }
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    if (result == null) {
      throw new IllegalStateException(name + " gave no result; see " + log);
    }
    return result;
  }

  String classpath(Path... parts) {
    return String.join(File.pathSeparator, Stream.of(parts).map(Path::toString).toList());
  }

  /** moto is single-threaded: give it CPU 1 and the measured JVM CPU 0. */
  private void pinMoto() throws InterruptedException, IOException {
    if (!taskset || cpus < 2) {
      table.note(
          "moto and the measured JVM share the CPUs ("
              + (taskset ? cpus + " CPU" : "no taskset")
              + ").");
      return;
    }
    for (ProcessHandle child : ProcessHandle.current().children().toList()) {
      new ProcessBuilder("taskset", "-a", "-p", "-c", "1", Long.toString(child.pid()))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    }
  }

  private static boolean onPath(String command) {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }
}
