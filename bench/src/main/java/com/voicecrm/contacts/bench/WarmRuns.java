package com.voicecrm.contacts.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** 5. Warm latency: one JVM per run, ours against the request-matched and the PutItem floor. */
final class WarmRuns {

  private final Bench bench;

  WarmRuns(Bench bench) {
    this.bench = bench;
  }

  /** Returns the medians of ours' p50 and of the request-matched floor's p50, in ms. */
  double[] run(int runs, int warmup, int iterations) throws Exception {
    List<long[]> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      System.err.printf(
          "bench: warm run %d/%d (%d upserts each)%n", i + 1, runs, warmup + iterations);
      String table = bench.createTable("warm-" + i, true);
      String[] parts =
          bench
              .launch(
                  "warm-" + i,
                  table,
                  classpath(),
                  Warm.class.getName(),
                  bench.event.toString(),
                  Integer.toString(warmup),
                  Integer.toString(iterations),
                  Integer.toString(1 + i),
                  bench.seed.toString())
              .split(" ");
      long[] figures = new long[parts.length - 1];
      for (int p = 1; p < parts.length; p++) {
        figures[p - 1] = Long.parseLong(parts[p]);
      }
      results.add(figures);
    }
    Table t = bench.table;
    t.row(
        "5 warm upsert p50 (ms) vs request-matched floor",
        ms(results, 0),
        ms(results, 3),
        "<= 1.2");
    t.row("  warm upsert p99 (ms)", ms(results, 1), ms(results, 4), "");
    t.row("  p50 of own work (time off the wire) (ms)", ms(results, 2), ms(results, 5), "<= 1.5");
    t.row("  vs the PutItem floor: p50 (ms)", ms(results, 0), ms(results, 6), "reference");
    t.row("  vs the PutItem floor: own work p50 (ms)", ms(results, 2), ms(results, 8), "reference");
    return new double[] {Table.median(ms(results, 0)), Table.median(ms(results, 3))};
  }

  /**
   * Ours, the seed loader, the floors' classes and a global interceptor file that times the wire.
   */
  private String classpath() throws IOException {
    Path dir = bench.root.resolve("bench/target/warm-interceptor");
    Path file = dir.resolve("software/amazon/awssdk/global/handlers/execution.interceptors");
    Files.createDirectories(file.getParent());
    Files.writeString(file, RoundTrips.class.getName() + "\n");
    return bench.classpath(
        bench.functionJar,
        bench.root.resolve("local/target/classes"),
        bench.root.resolve("bench/target/classes"),
        dir);
  }

  private static double[] ms(List<long[]> runs, int index) {
    return runs.stream().mapToDouble(r -> r[index] / 1000.0).toArray();
  }
}
