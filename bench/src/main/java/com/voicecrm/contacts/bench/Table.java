package com.voicecrm.contacts.bench;

import com.voicecrm.contacts.runtime.LambdaRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The benchmark's one table: figure, function, floor, ratio, target; then notes. */
final class Table {

  private final List<String[]> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  /** A measured figure: min / median / max of each side and the ratio of the medians. */
  void row(String figure, double[] ours, double[] floor, String target) {
    Arrays.sort(ours);
    Arrays.sort(floor);
    rows.add(
        new String[] {
          figure,
          spread(ours),
          floor.length == 0 ? "" : spread(floor),
          floor.length == 0 ? "" : String.format(Locale.ROOT, "%.2f", median(ours) / median(floor)),
          target
        });
  }

  /** A row of text. */
  void text(String figure, String ours, String floor, String ratio, String target) {
    rows.add(new String[] {figure, ours, floor, ratio, target});
  }

  void note(String note) {
    notes.add(note);
  }

  static double median(double[] sorted) {
    double[] copy = sorted.clone();
    Arrays.sort(copy);
    int n = copy.length;
    return n % 2 == 1 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
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

  void print(Bench bench, String title) throws IOException {
    StringBuilder out = new StringBuilder(title).append('\n');
    out.append("JVM flags: ").append(String.join(" ", LambdaRuntime.JVM_FLAGS)).append("\n\n");
    String[] header = {
      "figure", "function min / median / max", "floor min / median / max", "ratio", "target"
    };
    List<String[]> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] widths = new int[header.length];
    for (String[] row : all) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(String.format("%-" + widths[i] + "s", row[i]))
            .append(i + 1 < row.length ? "  " : "");
      }
      out.append(line.toString().stripTrailing()).append('\n');
      if (row == header) {
        out.append("-".repeat(Arrays.stream(widths).sum() + 2 * (widths.length - 1))).append('\n');
      }
    }
    for (String note : notes.stream().distinct().toList()) {
      out.append("note: ").append(note).append('\n');
    }
    System.out.print(out);
    Files.writeString(bench.root.resolve("bench/target/bench-results.txt"), out);
  }
}
