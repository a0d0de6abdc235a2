package com.voicecrm.contacts.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The figures of the adversarial suites, counted as they run and written to {@code
 * local/target/reliability.json} when the test JVM exits; {@code make reliability} prints them as a
 * table. {@code -Dreliability.scale=N} multiplies the size of every suite (1 in {@code make test}).
 */
public final class ReliabilityStats {

  /** What one suite did. */
  public static final class Suite {
    final AtomicLong scenarios = new AtomicLong();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong faults = new AtomicLong();
    final AtomicLong inputs = new AtomicLong();
    final AtomicLong violations = new AtomicLong();
    final AtomicLong badInput5xx = new AtomicLong();
    // Figures of one suite's own (the model suite's replays, say), by name.
    final Map<String, AtomicLong> counters = new ConcurrentSkipListMap<>();

    public void scenario() {
      scenarios.incrementAndGet();
    }

    public void requests(long n) {
      requests.addAndGet(n);
    }

    public void faults(long n) {
      faults.addAndGet(n);
    }

    public void inputs(long n) {
      inputs.addAndGet(n);
    }

    public void violations(long n) {
      violations.addAndGet(n);
    }

    public void badInput5xx() {
      badInput5xx.incrementAndGet();
    }

    /** Adds {@code n} to this suite's counter {@code name} (camelCase: the table spells it out). */
    public void count(String name, long n) {
      counters.computeIfAbsent(name, k -> new AtomicLong()).addAndGet(n);
    }
  }

  private static final Map<String, Suite> SUITES = new ConcurrentSkipListMap<>();
  private static final Map<String, Boolean> HOOK = new ConcurrentHashMap<>();

  private ReliabilityStats() {}

  /** The size factor of the suites: 1 in {@code make test}, larger in {@code make reliability}. */
  public static int scale() {
    return Math.max(1, Integer.getInteger("reliability.scale", 1));
  }

  public static Suite suite(String name) {
    HOOK.computeIfAbsent(
        "hook",
        k -> {
          Runtime.getRuntime()
              .addShutdownHook(new Thread(ReliabilityStats::write, "reliability-stats"));
          return true;
        });
    return SUITES.computeIfAbsent(name, n -> new Suite());
  }

  static String json() {
    StringBuilder out =
        new StringBuilder("{\n  \"scale\": ").append(scale()).append(",\n  \"suites\": [");
    String separator = "\n";
    for (Map.Entry<String, Suite> entry : SUITES.entrySet()) {
      Suite s = entry.getValue();
      out.append(separator)
          .append("    {\"suite\": \"")
          .append(entry.getKey())
          .append('"')
          .append(", \"scenarios\": ")
          .append(s.scenarios.get())
          .append(", \"requests\": ")
          .append(s.requests.get())
          .append(", \"faultsInjected\": ")
          .append(s.faults.get())
          .append(", \"inputsTried\": ")
          .append(s.inputs.get())
          .append(", \"invariantViolations\": ")
          .append(s.violations.get())
          .append(", \"badInput5xx\": ")
          .append(s.badInput5xx.get())
          .append(", \"counters\": {");
      String comma = "";
      for (Map.Entry<String, AtomicLong> counter : s.counters.entrySet()) {
        out.append(comma)
            .append('"')
            .append(counter.getKey())
            .append("\": ")
            .append(counter.getValue().get());
        comma = ", ";
      }
      out.append("}}");
      separator = ",\n";
    }
    return out.append("\n  ]\n}\n").toString();
  }

  private static void write() {
    Path file = TestApi.projectRoot().resolve("local/target/reliability.json");
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, json(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("Could not write " + file + ": " + e);
    }
  }
}
