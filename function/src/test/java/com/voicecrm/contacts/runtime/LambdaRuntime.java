package com.voicecrm.contacts.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The shaded function jar run the way AWS Lambda's managed Java runtime runs it: the jar unpacked
 * into a task root that is the working directory, the AWS Lambda Java runtime interface client (the
 * managed runtime's own client, from Maven Central) as the main class on a class path of its own,
 * the runtime's JVM flags and the environment Lambda gives a function, against a {@link
 * RuntimeApiStub}. The client unpacks its JNI library to a fixed path under /tmp, so only one runs
 * at a time.
 */
public final class LambdaRuntime implements AutoCloseable {

  /** The flags of Lambda's Java runtimes (tiered compilation stopped at C1, serial GC, CDS). */
  public static final List<String> JVM_FLAGS =
      List.of(
          "-XX:+TieredCompilation",
          "-XX:TieredStopAtLevel=1",
          "-XX:+UseSerialGC",
          "-Xshare:auto",
          "-Djava.net.preferIPv4Stack=true");

  private static final String CLIENT_MAIN =
      "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

  private final Process process;
  private final Path log;

  private LambdaRuntime(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** How Lambda initialises the function: on demand, or for a SnapStart snapshot. */
  public enum Init {
    ON_DEMAND("on-demand"),
    SNAP_START("snap-start");

    final String environmentValue;

    Init(String environmentValue) {
      this.environmentValue = environmentValue;
    }
  }

  /**
   * Starts the client for {@code handler} (as in the function's configuration) with {@code
   * functionEnvironment} (the function's own variables) added to Lambda's. {@code extraJvmFlags}
   * come after the runtime's (a benchmark adds -Xlog there); {@code commandPrefix} goes before java
   * (a benchmark pins it to a CPU with taskset).
   */
  public static LambdaRuntime start(
      Path taskRoot,
      String handler,
      RuntimeApiStub api,
      Map<String, String> functionEnvironment,
      List<String> extraJvmFlags,
      Path log)
      throws IOException {
    return start(
        taskRoot, handler, Init.ON_DEMAND, api, functionEnvironment, extraJvmFlags, List.of(), log);
  }

  /** As above, with the initialisation type and a command prefix. */
  public static LambdaRuntime start(
      Path taskRoot,
      String handler,
      Init init,
      RuntimeApiStub api,
      Map<String, String> functionEnvironment,
      List<String> extraJvmFlags,
      List<String> commandPrefix,
      Path log)
      throws IOException {
    List<String> command = new ArrayList<>(commandPrefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + 512 * 85 / 100 + "m"); // Lambda sizes the heap from the memory setting
    command.addAll(JVM_FLAGS);
    if (init == Init.SNAP_START) {
      // org.crac hands the checkpoint hooks to the runtime client's implementation, which runs
      // them before it asks the Runtime API to restore (as in SnapStart, minus the snapshot).
      command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
    }
    command.addAll(extraJvmFlags);
    command.add("-cp");
    command.add(clientClassPath());
    command.add(CLIENT_MAIN);
    command.add(handler);
    ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> !name.equals("PATH") && !name.equals("HOME"));
    env.put("AWS_LAMBDA_RUNTIME_API", api.address());
    env.put("_HANDLER", handler);
    env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    env.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_LAMBDA_FUNCTION_NAME", "contacts-test");
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", init.environmentValue);
    env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
    env.put("AWS_LAMBDA_LOG_LEVEL", "INFO");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/contacts-test");
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/01/[1]0123456789abcdef");
    env.put("AWS_ACCESS_KEY_ID", "ASIATESTTESTTESTTEST");
    env.put("AWS_SECRET_ACCESS_KEY", "test-secret");
    env.put("AWS_SESSION_TOKEN", "test-session-token");
    env.put("TZ", ":UTC");
    env.put("LANG", "en_US.UTF-8");
    env.putAll(functionEnvironment);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    return new LambdaRuntime(builder.start(), log);
  }

  /** The shaded jar unpacked into {@code taskRoot}, as Lambda unpacks a function's zip. */
  public static Path unpack(Path jar, Path taskRoot) throws IOException {
    if (Files.exists(taskRoot)) {
      try (Stream<Path> files = Files.walk(taskRoot)) {
        files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
      }
    }
    Files.createDirectories(taskRoot);
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        Path target = taskRoot.resolve(entry.getName()).normalize();
        if (!target.startsWith(taskRoot)) {
          throw new IOException("Entry outside the task root: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(zip, target); // copies this entry only; the zip stays open
        }
      }
    }
    return taskRoot;
  }

  /** The runtime client's jars, copied by the build into target/lambda-runtime-client. */
  static String clientClassPath() throws IOException {
    Path dir =
        Path.of(System.getProperty("lambda.runtime.client.dir", "target/lambda-runtime-client"))
            .toAbsolutePath(); // absolute: the client runs in the task root, not here
    try (Stream<Path> jars = Files.list(dir)) {
      String classPath =
          jars.filter(p -> p.toString().endsWith(".jar"))
              .map(Path::toString)
              .sorted()
              .collect(Collectors.joining(File.pathSeparator));
      if (classPath.isEmpty()) {
        throw new IOException("No runtime interface client jars in " + dir);
      }
      return classPath;
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits for {@code answer}; fails at once, with what the client printed, if the client exits
   * first or nothing comes within {@code seconds}.
   */
  public RuntimeApiStub.Answer await(
      java.util.concurrent.CompletableFuture<RuntimeApiStub.Answer> answer, int seconds)
      throws Exception {
    Object first =
        java.util.concurrent.CompletableFuture.anyOf(answer, process.onExit())
            .get(seconds, TimeUnit.SECONDS);
    if (first instanceof RuntimeApiStub.Answer done) {
      return done;
    }
    if (answer.isDone()) {
      return answer.get();
    }
    throw new IllegalStateException(
        "The runtime client exited (" + process.exitValue() + ") without answering:\n" + output());
  }

  /** What the client and the function printed (stdout and stderr). */
  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
