package com.voicecrm.contacts.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds the function module's deployable jar, which the stack uploads as the Lambda code. */
public final class FunctionArtifact {

  /** System property (set by the infra pom for tests and exec:java) naming the jar. */
  public static final String PROPERTY = "contacts.function.jar";

  /** Environment variable naming the jar (used by scripts/cdk-app.sh). */
  public static final String ENV = "CONTACTS_FUNCTION_JAR";

  private static final Path RELATIVE = Path.of("function", "target", "contacts-function.jar");

  private FunctionArtifact() {}

  /**
   * The jar named by {@link #PROPERTY} or {@link #ENV}, else {@code function/target/...} found from
   * the working directory (the repository root or the infra module). Fails fast, naming the places
   * looked at, because synthesising without the code would deploy nothing useful.
   */
  public static Path locate() {
    List<Path> candidates = new ArrayList<>();
    String explicit = System.getProperty(PROPERTY);
    if (explicit == null || explicit.isBlank()) {
      explicit = System.getenv(ENV);
    }
    if (explicit != null && !explicit.isBlank()) {
      candidates.add(Path.of(explicit));
    } else {
      Path cwd = Path.of("").toAbsolutePath();
      candidates.add(cwd.resolve(RELATIVE));
      if (cwd.getParent() != null) {
        candidates.add(cwd.getParent().resolve(RELATIVE));
      }
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException(
        "Lambda code not found at "
            + candidates
            + "; build it first: mvn -pl function package -DskipTests");
  }
}
