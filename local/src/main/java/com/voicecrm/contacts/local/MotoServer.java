package com.voicecrm.contacts.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * moto's DynamoDB in server mode, single-threaded, on a free loopback port, as a child process of
 * this JVM. Used by {@code make run} and by the integration tests alike.
 */
public final class MotoServer implements AutoCloseable {

  /** Overrides the Python interpreter that has {@code moto[server]} installed. */
  public static final String PYTHON_ENV = "MOTO_PYTHON";

  private static final Logger LOG = LoggerFactory.getLogger(MotoServer.class);
  private static final String PORT_LINE = "MOTO_PORT=";
  private static final int STARTUP_LINES_KEPT = 20;

  private final Process process;
  private final URI endpoint;

  private MotoServer(Process process, URI endpoint) {
    this.process = process;
    this.endpoint = endpoint;
  }

  /** Starts moto and returns once it listens; fails with a hint when moto is not installed. */
  public static MotoServer start() throws IOException {
    Path python = findPython();
    Path script = Files.createTempFile("moto_server", ".py");
    script.toFile().deleteOnExit();
    try (InputStream source = MotoServer.class.getResourceAsStream("/local/moto_server.py")) {
      Files.copy(source, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Process process =
        new ProcessBuilder(python.toString(), script.toString(), "127.0.0.1", "0")
            .redirectErrorStream(true)
            .start();
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    Deque<String> lastLines = new ArrayDeque<>();
    String line;
    while ((line = output.readLine()) != null && !line.startsWith(PORT_LINE)) {
      LOG.debug("moto: {}", line);
      if (lastLines.size() == STARTUP_LINES_KEPT) {
        lastLines.removeFirst();
      }
      lastLines.addLast(line);
    }
    if (line == null) {
      process.destroyForcibly();
      // The launcher says why it refused to start (another moto version, say): pass that on.
      throw new IOException(
          "moto did not start with "
              + python
              + " (run 'make venv' to install requirements-dev.txt):\n"
              + String.join("\n", lastLines));
    }
    URI endpoint = URI.create("http://127.0.0.1:" + line.substring(PORT_LINE.length()).trim());
    Thread drain = new Thread(() -> drain(output), "moto-output");
    drain.setDaemon(true);
    drain.start();
    MotoServer server = new MotoServer(process, endpoint);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "moto-stop"));
    return server;
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  // moto logs each request; read it so the pipe never fills and blocks the server.
  private static void drain(BufferedReader output) {
    try {
      while (output.readLine() != null) {
        // discarded: request logs of the local DynamoDB
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** MOTO_PYTHON, else the project's .venv found from the working directory upwards. */
  static Path findPython() throws IOException {
    String configured =
        Optional.ofNullable(System.getenv(PYTHON_ENV)).orElse(System.getProperty("moto.python"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    for (String start :
        new String[] {System.getProperty("project.root"), System.getProperty("user.dir")}) {
      if (start == null) {
        continue;
      }
      for (Path dir = Path.of(start).toAbsolutePath(); dir != null; dir = dir.getParent()) {
        Path candidate = dir.resolve(".venv/bin/python");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IOException(
        "No Python with moto found: run 'make venv' or set " + PYTHON_ENV + " to its interpreter");
  }
}
