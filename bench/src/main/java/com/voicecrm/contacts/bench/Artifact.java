package com.voicecrm.contacts.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The deployed artifact: its size and its largest packages. */
final class Artifact {

  private Artifact() {}

  static void rows(Bench bench) throws IOException {
    long bytes = Files.size(bench.functionJar);
    Map<String, long[]> groups = new HashMap<>();
    long entries = 0;
    try (ZipFile jar = new ZipFile(bench.functionJar.toFile())) {
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
    bench.table.text(
        "7 artifact " + bench.root.relativize(bench.functionJar),
        String.format(Locale.ROOT, "%.2f MB (%d files)", bytes / 1e6, entries),
        "",
        "",
        "<= 12 MB");
    groups.entrySet().stream()
        .sorted(
            Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[0]).reversed())
        .limit(8)
        .forEach(
            e ->
                bench.table.text(
                    "  " + e.getKey(),
                    String.format(
                        Locale.ROOT, "%.2f MB (%d files)", e.getValue()[0] / 1e6, e.getValue()[1]),
                    "",
                    "",
                    ""));
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
        || name.startsWith("com/amazonaws/services/")) {
      return String.join("/", Arrays.copyOf(parts, Math.min(parts.length - 1, 4)));
    }
    return String.join("/", Arrays.copyOf(parts, Math.min(parts.length - 1, 3)));
  }
}
