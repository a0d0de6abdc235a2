package com.voicecrm.contacts.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.config.AppConfig;
import com.voicecrm.contacts.config.DynamoClients;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.domain.ContactService;
import com.voicecrm.contacts.domain.RetryPolicy;
import com.voicecrm.contacts.local.MotoServer;
import com.voicecrm.contacts.local.SeedLoader;
import com.voicecrm.contacts.store.DynamoContactStore;
import com.voicecrm.contacts.store.TableSetup;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code make bench}: the function measured against the floor, printed as one table. Run from the
 * project root with the function's shaded jar and this module's classes on the classpath.
 *
 * <p>System properties: {@code bench.coldRuns} (7), {@code bench.classRuns} (3), {@code
 * bench.warmRuns} (3), {@code bench.warmIterations} (2000), {@code bench.warmup} (300), {@code
 * bench.crt} (true: also measure the floor on AwsCrtHttpClient).
 */
public final class Bench {

  /** The Lambda Java runtime's JVM flags (JAVA_TOOL_OPTIONS of the managed runtimes). */
  static final List<String> LAMBDA_FLAGS =
      List.of(
          "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

  private static final String HANDLER = "com.voicecrm.contacts.api.ContactsApiHandler";

  private final Path root = Path.of("").toAbsolutePath();
  private final Path functionJar = root.resolve("function/target/contacts-function.jar");
  private final Path benchClasses = root.resolve("bench/target/classes");
  private final Path floorJar = root.resolve("bench/target/floor.jar");
  private final Path crtDir = root.resolve("bench/target/crt");
  private final Path event = root.resolve("events/upsert.json");
  private final Path seed = root.resolve("events/local-seed.json");
  private final Path logs = root.resolve("bench/target/bench-logs");
  private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  private final boolean taskset = onPath("taskset");
  private final int cpus = Runtime.getRuntime().availableProcessors();

  private MotoServer moto;
  private DynamoDbClient setup;
  private final List<String[]> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private Bench() {}

  public static void main(String[] args) throws Exception {
    new Bench().run();
  }

  private void run() throws Exception {
    long started = System.nanoTime();
    int coldRuns = Integer.getInteger("bench.coldRuns", 7);
    int classRuns = Integer.getInteger("bench.classRuns", 3);
    int warmRuns = Integer.getInteger("bench.warmRuns", 3);
    int warmIterations = Integer.getInteger("bench.warmIterations", 2000);
    int warmup = Integer.getInteger("bench.warmup", 300);
    boolean crt = Boolean.parseBoolean(System.getProperty("bench.crt", "true"));
    Files.createDirectories(logs);
    System.err.println("bench: starting moto");
    moto = MotoServer.start();
    pinMoto();
    setup = client();
    String crtClasspath = crt ? crtClasspath() : null;

    // 1. Cold start, ours and the floor alternated so drift hits both alike.
    createTable("cold-floor", false);
    List<Cold> ours = new ArrayList<>();
    List<Cold> floor = new ArrayList<>();
    List<Cold> floorCrt = new ArrayList<>();
    for (int i = 0; i < coldRuns; i++) {
      System.err.printf("bench: cold start %d/%d%n", i + 1, coldRuns);
      String table = "cold-ours-" + i;
      createTable(table, true);
      ours.add(
          cold("ours-" + i, table, List.of(), ourClasspath(), ColdStart.class.getName(), HANDLER));
      floor.add(cold("floor-" + i, "cold-floor", List.of(), floorJar.toString(), floorMain()));
      if (crtClasspath != null) {
        try {
          floorCrt.add(
              cold(
                  "floor-crt-" + i,
                  "cold-floor",
                  List.of("-Dfloor.http=crt"),
                  crtClasspath,
                  floorMain()));
        } catch (IllegalStateException e) {
          notes.add(
              "AwsCrtHttpClient could not run here (" + e.getMessage() + "); URLConnection kept.");
          crtClasspath = null;
        }
      }
    }
    row(
        "1 cold start: JVM launch -> response (ms)",
        ms(ours, c -> c.total),
        ms(floor, c -> c.total),
        "<= 1.25");
    row("  JVM launch -> main()", ms(ours, c -> c.toMain), ms(floor, c -> c.toMain), "");
    row("  handler construction (init)", ms(ours, c -> c.init), ms(floor, c -> c.init), "");
    row("  first request", ms(ours, c -> c.request), ms(floor, c -> c.request), "");
    if (!floorCrt.isEmpty()) {
      row(
          "  floor on AwsCrtHttpClient (vs URLConnection)",
          ms(floorCrt, c -> c.total),
          ms(floor, c -> c.total),
          "");
    }

    // 2. Classes loaded up to the first response.
    List<long[]> ourClasses = new ArrayList<>();
    List<long[]> floorClasses = new ArrayList<>();
    for (int i = 0; i < classRuns; i++) {
      System.err.printf("bench: class count %d/%d%n", i + 1, classRuns);
      String table = "classes-ours-" + i;
      createTable(table, true);
      ourClasses.add(
          classes("classes-ours-" + i, table, ourClasspath(), ColdStart.class.getName(), HANDLER));
      floorClasses.add(
          classes("classes-floor-" + i, "cold-floor", floorJar.toString(), floorMain()));
    }
    row(
        "2 classes loaded to first response",
        count(ourClasses, 0),
        count(floorClasses, 0),
        "<= 1.3");
    row("  from the JDK", count(ourClasses, 1), count(floorClasses, 1), "");
    row("  from the application jar", count(ourClasses, 2), count(floorClasses, 2), "");

    // 3. DynamoDB requests per upsert, in process through the real store.
    requests();

    // 4. Warm latency in one JVM per run, the floor alternated with ours.
    List<long[]> warm = new ArrayList<>();
    for (int i = 0; i < warmRuns; i++) {
      System.err.printf(
          "bench: warm run %d/%d (%d upserts)%n", i + 1, warmRuns, warmup + warmIterations);
      String table = "warm-" + i;
      createTable(table, true);
      warm.add(
          crtClasspath == null
              ? warm(
                  "warm-" + i, table, List.of(), warmClasspath(), warmup, warmIterations, 201 + i)
              : warm(
                  "warm-" + i,
                  table,
                  List.of("-Dbench.floorCrt=true"),
                  warmClasspath() + File.pathSeparator + crtClasspath,
                  warmup,
                  warmIterations,
                  201 + i));
      System.err.printf(
          "bench: table %s holds %d items after the run%n",
          table, setup.scan(r -> r.tableName(table).select("COUNT")).count());
    }
    row(
        "4 warm upsert p50 (ms), " + warmIterations + " per JVM",
        micros(warm, 0),
        micros(warm, 2),
        "<= 1.5");
    row("  warm upsert p99 (ms)", micros(warm, 1), micros(warm, 3), "");
    row("  p50 of time off the wire (ms): own work", micros(warm, 4), micros(warm, 5), "");
    if (warm.get(0).length > 6) {
      row(
          "  floor on AwsCrtHttpClient p50 (vs URLConnection)",
          micros(warm, 6),
          micros(warm, 2),
          "");
      row(
          "  floor on AwsCrtHttpClient p99 (vs URLConnection)",
          micros(warm, 7),
          micros(warm, 3),
          "");
    }

    // 5. The deployed artifact.
    artifact();

    moto.close();
    print(
        coldRuns,
        classRuns,
        warmRuns,
        warmIterations,
        (System.nanoTime() - started) / 1_000_000_000);
  }

  // ---------------------------------------------------------------------------------------------
  // Child JVMs

  private record Cold(double total, double toMain, double init, double request) {}

  private Cold cold(
      String name, String table, List<String> extraFlags, String classpath, String... main)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(LAMBDA_FLAGS);
    command.addAll(extraFlags);
    long launchedMillis = System.currentTimeMillis();
    long launched = System.nanoTime();
    Child child = launch(name, table, command, classpath, concat(main, event.toString()));
    long answered = System.nanoTime();
    String[] parts = child.result.split(" ");
    if (!parts[1].startsWith("20")) {
      throw new IllegalStateException(name + " answered " + parts[1] + "; see " + child.log);
    }
    long mainAt = Long.parseLong(parts[2]);
    long initAt = Long.parseLong(parts[3]);
    long doneAt = Long.parseLong(parts[4]);
    return new Cold(
        (answered - launched) / 1e6, mainAt - launchedMillis, initAt - mainAt, doneAt - initAt);
  }

  /** Total, JDK and application classes loaded by a cold invocation. */
  private long[] classes(String name, String table, String classpath, String... main)
      throws IOException, InterruptedException {
    Path log = logs.resolve(name + "-class-load.log");
    List<String> flags = new ArrayList<>(LAMBDA_FLAGS);
    flags.add("-Xlog:class+load=info:file=" + log);
    launch(name, table, flags, classpath, concat(main, event.toString()));
    long total = 0;
    long jdk = 0;
    try (Stream<String> lines = Files.lines(log)) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (!line.contains(" source: ")) {
          continue;
        }
        total++;
        if (line.contains("source: jrt:/")
            || line.contains("shared objects file")
            || line.contains("source: __JVM_")
            || line.contains("source: java.")) {
          jdk++;
        }
      }
    }
    return new long[] {total, jdk, total - jdk};
  }

  private long[] warm(
      String name,
      String table,
      List<String> extraFlags,
      String classpath,
      int warmup,
      int iterations,
      int runId)
      throws IOException, InterruptedException {
    List<String> flags = new ArrayList<>(LAMBDA_FLAGS);
    flags.addAll(extraFlags);
    Child child =
        launch(
            name,
            table,
            flags,
            classpath,
            Warm.class.getName(),
            event.toString(),
            Integer.toString(warmup),
            Integer.toString(iterations),
            Integer.toString(runId),
            seed.toString());
    String[] parts = child.result.split(" ");
    long[] figures = new long[parts.length - 1];
    for (int i = 1; i < parts.length; i++) {
      figures[i - 1] = Long.parseLong(parts[i]);
    }
    return figures;
  }

  private record Child(String result, Path log) {}

  /** Runs a JVM pinned to CPU 0 (moto has CPU 1) with the environment Lambda would give it. */
  private Child launch(
      String name, String table, List<String> flags, String classpath, String... main)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (taskset) {
      command.addAll(List.of("taskset", "-c", "0"));
    }
    command.add(java);
    command.addAll(flags);
    command.add("-cp");
    command.add(classpath);
    command.addAll(Arrays.asList(main));
    Path log = logs.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("_JAVA_OPTIONS"));
    env.put(ServiceContract.ENV_TABLE_NAME, table);
    env.put(ServiceContract.ENV_DYNAMODB_ENDPOINT, moto.endpoint().toString());
    // What Lambda sets: the region and the execution role's session credentials.
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "ASIABENCHBENCHBENCH0");
    env.put("AWS_SECRET_ACCESS_KEY", "bench-secret");
    env.put("AWS_SESSION_TOKEN", "bench-session-token");
    env.put("AWS_LAMBDA_FUNCTION_NAME", "contacts-bench");
    Process process = builder.start();
    String result = null;
    java.util.ArrayDeque<String> tail = new java.util.ArrayDeque<>();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        // A log line may lack its line break when the child halts: find RESULT anywhere.
        int at = line.indexOf("RESULT ");
        if (at >= 0) {
          result = line.substring(at);
          break;
        }
        // The function logs to stdout; the last lines explain a failed run.
        tail.addLast(line);
        if (tail.size() > 50) {
          tail.removeFirst();
        }
      }
    }
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
    }
    if (result == null) {
      Path out = logs.resolve(name + ".out");
      Files.write(out, tail);
      throw new IllegalStateException(name + " gave no result; see " + log + " and " + out);
    }
    return new Child(result, log);
  }

  private String ourClasspath() {
    return functionJar + File.pathSeparator + benchClasses;
  }

  /** The warm runs' classpath: ours plus a global interceptor file that times the wire. */
  private String warmClasspath() throws IOException {
    Path dir = root.resolve("bench/target/warm-interceptor");
    Path file = dir.resolve("software/amazon/awssdk/global/handlers/execution.interceptors");
    Files.createDirectories(file.getParent());
    Files.writeString(file, RoundTrips.class.getName() + "\n");
    return ourClasspath() + File.pathSeparator + dir;
  }

  private String floorMain() {
    return "com.voicecrm.contacts.bench.floor.FloorColdStart";
  }

  private String crtClasspath() throws IOException {
    if (!Files.isDirectory(crtDir)) {
      notes.add("AwsCrtHttpClient jars not found in " + crtDir + "; CRT not measured.");
      return null;
    }
    try (Stream<Path> jars = Files.list(crtDir)) {
      return floorJar
          + File.pathSeparator
          + jars.map(Path::toString).sorted().collect(Collectors.joining(File.pathSeparator));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 3. DynamoDB requests per upsert

  private void requests() throws IOException {
    System.err.println("bench: DynamoDB requests per upsert");
    String table = "requests";
    createTable(table, true);
    RequestCounter counter = new RequestCounter();
    DynamoDbClient counted =
        DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("b", "b")))
            .httpClient(UrlConnectionHttpClient.create())
            .endpointOverride(moto.endpoint())
            .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
            .build();
    ContactsApiHandler handler =
        new ContactsApiHandler(
            new ContactService(
                new DynamoContactStore(counted, table), Clock.systemUTC(), RetryPolicy.DEFAULT));
    String template = Files.readString(event);
    String[][] scenarios = {
      {"create (new phone, email and tag)", template, "201", "<= 2, >= 1 item"},
      {
        "update (firstName changes)",
        template.replace("\\\"Ada\\\"", "\\\"Augusta\\\""),
        "200",
        "<= 3"
      },
      {
        "update that changes nothing",
        template.replace("\\\"Ada\\\"", "\\\"Augusta\\\""),
        "200",
        "no write"
      },
      {
        "identifier move (new email)",
        template
            .replace("\\\"Ada\\\"", "\\\"Augusta\\\"")
            .replace("ada@example.com", "augusta@example.com"),
        "200",
        "<= 3"
      },
    };
    for (String[] scenario : scenarios) {
      counter.reset();
      APIGatewayProxyResponseEvent response =
          handler.handleRequest(Events.read(scenario[1].getBytes(StandardCharsets.UTF_8)), null);
      if (!Integer.toString(response.getStatusCode()).equals(scenario[2])) {
        throw new IllegalStateException(
            scenario[0] + " answered " + response.getStatusCode() + " " + response.getBody());
      }
      rows.add(
          new String[] {
            "3 " + scenario[0],
            counter.requests() + " requests, " + counter.itemsWritten() + " items written",
            counter.operations(),
            "",
            scenario[3]
          });
    }
    counted.close();
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Artifact

  private void artifact() throws IOException {
    long bytes = Files.size(functionJar);
    Map<String, long[]> groups = new HashMap<>();
    long entries = 0;
    try (ZipFile jar = new ZipFile(functionJar.toFile())) {
      for (ZipEntry entry : Collections.list(jar.entries())) {
        if (entry.isDirectory()) {
          continue;
        }
        entries++;
        long[] group = groups.computeIfAbsent(group(entry.getName()), g -> new long[2]);
        group[0] += entry.getCompressedSize();
        group[1]++;
      }
    }
    rows.add(
        new String[] {
          "5 artifact " + root.relativize(functionJar),
          String.format(Locale.ROOT, "%.2f MB (%d files)", bytes / 1e6, entries),
          "",
          "",
          "<= 12 MB"
        });
    groups.entrySet().stream()
        .sorted(
            Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed())
        .limit(10)
        .forEach(
            e ->
                rows.add(
                    new String[] {
                      "  " + e.getKey(),
                      String.format(
                          Locale.ROOT,
                          "%.2f MB (%d files)",
                          e.getValue()[0] / 1e6,
                          e.getValue()[1]),
                      "",
                      "",
                      ""
                    }));
  }

  private static String group(String name) {
    String[] parts = name.split("/");
    if (name.startsWith("software/amazon/awssdk/services/dynamodb/")) {
      return parts.length > 5 && !parts[5].endsWith(".class")
          ? String.join("/", Arrays.copyOf(parts, 6))
          : "software/amazon/awssdk/services/dynamodb";
    }
    if (name.startsWith("software/amazon/awssdk/")
        || name.startsWith("com/fasterxml/jackson/")
        || name.startsWith("com/amazonaws/services/")
        || name.startsWith("org/apache/")) {
      return String.join("/", Arrays.copyOf(parts, Math.min(parts.length - 1, 4)));
    }
    return String.join("/", Arrays.copyOf(parts, Math.min(parts.length - 1, 3)));
  }

  // ---------------------------------------------------------------------------------------------
  // Tables and moto

  private DynamoDbClient client() {
    return DynamoClients.create(
        AppConfig.from(
            Map.of(
                ServiceContract.ENV_TABLE_NAME,
                "bench",
                ServiceContract.ENV_DYNAMODB_ENDPOINT,
                moto.endpoint().toString())));
  }

  private void createTable(String table, boolean seeded) throws IOException {
    TableSetup.createIfMissing(setup, table);
    if (seeded) {
      new SeedLoader(setup, table).load(seed);
    }
  }

  /** moto is single-threaded: give it CPU 1 and the measured JVM CPU 0. */
  private void pinMoto() throws InterruptedException, IOException {
    if (!taskset || cpus < 2) {
      notes.add(
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

  // ---------------------------------------------------------------------------------------------
  // Figures and the table

  private interface Figure {
    double of(Cold cold);
  }

  private static double[] ms(List<Cold> runs, Figure figure) {
    return runs.stream().mapToDouble(figure::of).sorted().toArray();
  }

  private static double[] count(List<long[]> runs, int index) {
    return runs.stream().mapToDouble(r -> r[index]).sorted().toArray();
  }

  private static double[] micros(List<long[]> runs, int index) {
    return runs.stream().mapToDouble(r -> r[index] / 1000.0).sorted().toArray();
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private void row(String figure, double[] ours, double[] floor, String target) {
    rows.add(
        new String[] {
          figure,
          spread(ours),
          spread(floor),
          String.format(Locale.ROOT, "%.2f", median(ours) / median(floor)),
          target
        });
  }

  private static String spread(double[] sorted) {
    boolean whole = Arrays.stream(sorted).allMatch(v -> v == Math.rint(v) && v >= 100);
    String format = whole ? "%.0f" : "%.1f";
    if (Arrays.stream(sorted).max().orElse(0) < 10) {
      format = "%.2f";
    }
    return String.format(
        Locale.ROOT,
        format + " / " + format + " / " + format,
        sorted[0],
        median(sorted),
        sorted[sorted.length - 1]);
  }

  private void print(int coldRuns, int classRuns, int warmRuns, int warmIterations, long seconds)
      throws IOException {
    String cpu = "unknown CPU";
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      cpu =
          lines
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse(cpu);
    } catch (IOException ignored) {
      // not Linux
    }
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Contacts API benchmark: %d cold JVMs, %d class counts, %d warm JVMs x %d upserts; Java %s, %d CPUs (%s); %s; %d s%n",
            coldRuns,
            classRuns,
            warmRuns,
            warmIterations,
            System.getProperty("java.version"),
            cpus,
            cpu,
            taskset ? "measured JVM on CPU 0, moto on CPU 1" : "no taskset",
            seconds));
    out.append("JVM flags: ").append(String.join(" ", LAMBDA_FLAGS)).append("\n\n");
    String[] header = {
      "figure", "function min / median / max", "floor min / median / max", "ratio", "target"
    };
    int[] widths = new int[header.length];
    for (String[] row : concatRows(header)) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : concatRows(header)) {
      for (int i = 0; i < row.length; i++) {
        out.append(String.format("%-" + widths[i] + "s", row[i]))
            .append(i + 1 < row.length ? "  " : "");
      }
      out.append('\n');
      if (row == header) {
        out.append("-".repeat(Arrays.stream(widths).sum() + 2 * (widths.length - 1))).append('\n');
      }
    }
    for (String note : notes.stream().distinct().toList()) {
      out.append("note: ").append(note).append('\n');
    }
    System.out.print(out);
    Files.writeString(root.resolve("bench/target/bench-results.txt"), out);
  }

  private List<String[]> concatRows(String[] header) {
    List<String[]> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    return all;
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
