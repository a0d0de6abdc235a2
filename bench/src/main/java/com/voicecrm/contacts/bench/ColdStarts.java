package com.voicecrm.contacts.bench;

import com.voicecrm.contacts.api.ContactsApiHandler;
import com.voicecrm.contacts.api.ProxyEventJson;
import com.voicecrm.contacts.config.ServiceContract;
import com.voicecrm.contacts.runtime.LambdaRuntime;
import com.voicecrm.contacts.runtime.RuntimeApiStub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold starts as Lambda runs them: a fresh JVM with the runtime interface client, the function's
 * jar unpacked as its task root, one event queued at a Runtime API stub. Ours and the floors,
 * alternated so drift hits all alike.
 */
final class ColdStarts {

  private static final Pattern CLASS_LOAD = Pattern.compile("^\\[(\\d+)ns\\] (\\S+) source: (.*)$");

  private final Bench bench;
  private final Path functionTask;
  private final Path floorTask;
  private final byte[] create;
  private int tables;

  ColdStarts(Bench bench, Path functionTask, Path floorTask) throws IOException {
    this.bench = bench;
    this.functionTask = functionTask;
    this.floorTask = floorTask;
    this.create = Files.readAllBytes(bench.event);
  }

  /** Times of one cold invocation, in ms from JVM launch. */
  private record Run(
      double total,
      double initDone,
      double restored,
      double request,
      double secondRequest,
      double[] answeredAt,
      long launchedNanos) {}

  /** The events of one run, for its freshly created and seeded table. */
  private interface Events {
    List<byte[]> on(String table) throws Exception;
  }

  private Run run(
      String name,
      Path taskRoot,
      String handler,
      LambdaRuntime.Init init,
      List<String> flags,
      byte[]... events)
      throws Exception {
    return run(name, taskRoot, handler, init, flags, table -> List.of(events));
  }

  private Run run(
      String name,
      Path taskRoot,
      String handler,
      LambdaRuntime.Init init,
      List<String> flags,
      Events events)
      throws Exception {
    String table = bench.createTable("cold-" + tables++, true);
    try (RuntimeApiStub api = new RuntimeApiStub()) {
      List<CompletableFuture<RuntimeApiStub.Answer>> answers = new ArrayList<>();
      for (byte[] event : events.on(table)) {
        answers.add(api.invoke(event, 10_000));
      }
      Path log = bench.logs.resolve(name + ".log");
      long launched = System.nanoTime();
      try (LambdaRuntime runtime =
          LambdaRuntime.start(
              taskRoot,
              handler,
              init,
              api,
              bench.functionEnvironment(table),
              flags,
              bench.pinned(),
              log)) {
        List<RuntimeApiStub.Answer> got = new ArrayList<>();
        for (CompletableFuture<RuntimeApiStub.Answer> answer : answers) {
          RuntimeApiStub.Answer a = runtime.await(answer, 120);
          if (a.error() || !a.text().contains("\"statusCode\":20")) {
            throw new IllegalStateException(name + " answered " + a.text() + "; see " + log);
          }
          got.add(a);
        }
        long polled = api.firstPoll().get();
        long restored = init == LambdaRuntime.Init.SNAP_START ? api.restored().get() : polled;
        RuntimeApiStub.Answer first = got.get(0);
        double[] answeredAt =
            got.stream().mapToDouble(a -> ms(a.answeredAtNanos() - launched)).toArray();
        return new Run(
            ms(first.answeredAtNanos() - launched),
            ms(polled - launched),
            ms(restored - launched),
            ms(first.answeredAtNanos() - restored),
            got.size() > 1 ? ms(got.get(1).answeredAtNanos() - first.answeredAtNanos()) : 0,
            answeredAt,
            launched);
      } finally {
        bench.setup.deleteTable(r -> r.tableName(table));
      }
    }
  }

  /** 1. JVM launch to first response through the runtime client, split as the stub sees it. */
  void coldStarts(int runs) throws Exception {
    List<Run> ours = new ArrayList<>();
    List<Run> floor = new ArrayList<>();
    List<Run> typed = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      System.err.printf("bench: cold start %d/%d%n", i + 1, runs);
      ours.add(
          run(
              "cold-ours-" + i,
              functionTask,
              ServiceContract.API_HANDLER,
              onDemand(),
              List.of(),
              create));
      floor.add(run("cold-floor-" + i, floorTask, Bench.FLOOR, onDemand(), List.of(), create));
      typed.add(
          run("cold-typed-" + i, floorTask, Bench.TYPED_FLOOR, onDemand(), List.of(), create));
    }
    Table t = bench.table;
    t.row(
        "1 cold start via runtime client: launch -> response (ms)",
        of(ours, Run::total),
        of(floor, Run::total),
        "<= 1.2");
    t.row(
        "  launch -> init done (first poll for an event)",
        of(ours, Run::initDone),
        of(floor, Run::initDone),
        "");
    t.row(
        "  first request (event -> response)", of(ours, Run::request), of(floor, Run::request), "");
    t.row(
        "  floor with a typed event (runtime's reflection mapping + Joda-Time) vs streamed",
        of(typed, Run::total),
        of(floor, Run::total),
        "");
  }

  /** 2. Classes loaded to the first response, and the client's own start-up, from -Xlog. */
  void classCounts(int runs) throws Exception {
    List<double[]> ours = new ArrayList<>();
    List<double[]> floor = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      System.err.printf("bench: class count %d/%d%n", i + 1, runs);
      ours.add(classes("classes-ours-" + i, functionTask, ServiceContract.API_HANDLER));
      floor.add(classes("classes-floor-" + i, floorTask, Bench.FLOOR));
    }
    Table t = bench.table;
    t.row("2 classes loaded to first response", col(ours, 0), col(floor, 0), "<= 1.3");
    t.row("  from the JDK", col(ours, 1), col(floor, 1), "");
    t.row("  from the runtime interface client", col(ours, 2), col(floor, 2), "");
    t.row("  from the function's jar", col(ours, 3), col(floor, 3), "");
    t.row("  client start: launch -> first class of the jar (ms)", col(ours, 4), col(floor, 4), "");
  }

  private double[] classes(String name, Path taskRoot, String handler) throws Exception {
    Path classLog = bench.logs.resolve(name + "-class-load.log");
    Run run =
        run(
            name,
            taskRoot,
            handler,
            onDemand(),
            List.of("-Xlog:class+load=info:file=" + classLog + ":uptimenanos"),
            create);
    long until = (long) (run.total() * 1e6);
    double total = 0;
    double jdk = 0;
    double client = 0;
    double firstOfJar = -1;
    for (String line : Files.readAllLines(classLog, StandardCharsets.UTF_8)) {
      Matcher m = CLASS_LOAD.matcher(line);
      if (!m.matches() || Long.parseLong(m.group(1)) > until) {
        continue;
      }
      total++;
      switch (origin(m.group(3), taskRoot)) {
        case "jdk" -> jdk++;
        case "client" -> client++;
        default -> {
          if (firstOfJar < 0) {
            firstOfJar = Long.parseLong(m.group(1)) / 1e6;
          }
        }
      }
    }
    return new double[] {total, jdk, client, total - jdk - client, firstOfJar};
  }

  private static String origin(String source, Path taskRoot) {
    if (source.contains(taskRoot.toString())) {
      return "jar";
    }
    if (source.contains("lambda-runtime-client")
        || source.startsWith("com.amazonaws.services.lambda.runtime.api")
        || source.startsWith("com.amazonaws.services.lambda.runtime.serialization")) {
      return "client";
    }
    if (source.startsWith("jrt:/")
        || source.startsWith("shared objects file")
        || source.startsWith("java.")
        || source.startsWith("jdk.")
        || source.startsWith("sun.")
        || source.startsWith("__")) {
      return "jdk";
    }
    return "jar"; // lambdas and hidden classes of the function's own classes
  }

  /**
   * 3. SnapStart modelled through the runtime client: with snap-start initialisation it runs the
   * priming hooks, asks to be restored, then serves. What the first requests pay after the restore
   * is what a restored snapshot pays beyond the platform's own restore.
   */
  void snapStart(int runs) throws Exception {
    byte[] update =
        new String(create, StandardCharsets.UTF_8)
            .replace("\\\"Ada\\\"", "\\\"Augusta\\\"")
            .getBytes(StandardCharsets.UTF_8);
    byte[] secondCreate =
        new String(create, StandardCharsets.UTF_8)
            .replace("+44 20 7946 0958", "+44 20 7946 0959")
            .replace("ada@example.com", "ada2@example.com")
            .getBytes(StandardCharsets.UTF_8);
    List<double[]> ours = new ArrayList<>();
    List<double[]> floor = new ArrayList<>();
    Map<String, Integer> coldPackages = new TreeMap<>();
    Map<String, Integer> patchPackages = new TreeMap<>();
    for (int i = 0; i < runs; i++) {
      System.err.printf("bench: SnapStart-modelled %d/%d%n", i + 1, runs);
      ours.add(
          snap(
              "snap-ours-" + i,
              functionTask,
              ServiceContract.API_HANDLER,
              coldPackages,
              patchPackages,
              // Then a PATCH of a contact the table already holds: what the patch path alone
              // loads after a create and an update ran. A second PATCH follows so that the
              // JVM's shutdown falls outside the first one's window.
              table -> {
                List<byte[]> events = new ArrayList<>(List.of(create, update));
                events.addAll(patchesOfExisting(table));
                return events;
              }));
      floor.add(
          snap(
              "snap-floor-" + i,
              floorTask,
              Bench.MATCHED_FLOOR,
              null,
              null,
              table -> List.of(create, secondCreate)));
    }
    Table t = bench.table;
    t.row(
        "3 SnapStart-modelled: first create after restore (ms)",
        col(ours, 0),
        col(floor, 0),
        "<= 1.5");
    t.row("  then an update (floor: a second create) (ms)", col(ours, 1), col(floor, 1), "");
    t.row(
        "  classes loaded after priming, to the first response",
        col(ours, 2),
        col(floor, 2),
        "0 priming could load");
    t.row("  then a PATCH of another contact (field change) (ms)", col(ours, 3), new double[0], "");
    t.row(
        "  classes that PATCH loads (after the create and update)",
        col(ours, 4),
        new double[0],
        "0 priming could load");
    bench.table.note(
        "classes the first request loads after priming, by package (per run): "
            + byCount(coldPackages, runs));
    bench.table.note(
        "classes the PATCH after them loads, by package (per run): "
            + byCount(patchPackages, runs));
  }

  private static String byCount(Map<String, Integer> packages, int runs) {
    StringBuilder text = new StringBuilder();
    packages.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(6)
        .forEach(
            e ->
                text.append(text.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append(" ")
                    .append(e.getValue() / runs));
    return text.length() == 0 ? "none" : text.toString();
  }

  /**
   * Two PATCHes (firstName, then lastName) of a contact created in {@code table} beforehand, in
   * this JVM (the measured one never ran it).
   */
  private List<byte[]> patchesOfExisting(String table) throws Exception {
    var handler = ContactsApiHandler.over(bench.setup, table);
    String created =
        Costs.idOf(
            ProxyEventJson.invoke(
                    handler,
                    ProxyEventJson.readRequest(
                        Files.newInputStream(bench.root.resolve("events/create.json"))),
                    null)
                .getBody());
    String get =
        Files.readString(bench.root.resolve("events/get.json")).replace(Bench.SAMPLE_ID, created);
    return List.of(
        Costs.patch(get, "{\"firstName\":\"Charlie\"}", null).getBytes(StandardCharsets.UTF_8),
        Costs.patch(get, "{\"lastName\":\"Babbage-King\"}", null).getBytes(StandardCharsets.UTF_8));
  }

  private double[] snap(
      String name,
      Path taskRoot,
      String handler,
      Map<String, Integer> packages,
      Map<String, Integer> thirdPackages,
      Events events)
      throws Exception {
    Path classLog = bench.logs.resolve(name + "-class-load.log");
    Run run =
        run(
            name,
            taskRoot,
            handler,
            LambdaRuntime.Init.SNAP_START,
            // System.nanoTime's clock, which the stub's times are on: the windows below are exact
            // (JVM uptime starts some milliseconds after the launch, more on a loaded machine).
            List.of("-Xlog:class+load=info:file=" + classLog + ":timenanos"),
            events);
    long restoredAt = (long) (run.restored() * 1e6);
    long firstAnswer = (long) (run.total() * 1e6);
    boolean third = run.answeredAt().length > 2;
    long secondAnswer = third ? (long) (run.answeredAt()[1] * 1e6) : Long.MAX_VALUE;
    long thirdAnswer = third ? (long) (run.answeredAt()[2] * 1e6) : Long.MIN_VALUE;
    double after = 0;
    double byThird = 0;
    for (String line : Files.readAllLines(classLog, StandardCharsets.UTF_8)) {
      Matcher m = CLASS_LOAD.matcher(line);
      if (!m.matches()) {
        continue;
      }
      long at = Long.parseLong(m.group(1)) - run.launchedNanos();
      if (at > restoredAt && at <= firstAnswer) {
        after++;
        count(packages, m.group(2));
      } else if (at > secondAnswer && at <= thirdAnswer) {
        byThird++;
        count(thirdPackages, m.group(2));
      }
    }
    double thirdMs = third ? run.answeredAt()[2] - run.answeredAt()[1] : 0;
    return new double[] {run.request(), run.secondRequest(), after, thirdMs, byThird};
  }

  private static void count(Map<String, Integer> packages, String cls) {
    if (packages != null) {
      int dot = cls.lastIndexOf('.');
      packages.merge(dot < 0 ? cls : cls.substring(0, dot), 1, Integer::sum);
    }
  }

  private static LambdaRuntime.Init onDemand() {
    return LambdaRuntime.Init.ON_DEMAND;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private interface Figure {
    double of(Run run);
  }

  private static double[] of(List<Run> runs, Figure figure) {
    return runs.stream().mapToDouble(figure::of).toArray();
  }

  private static double[] col(List<double[]> runs, int index) {
    return runs.stream().mapToDouble(r -> r[index]).toArray();
  }
}
