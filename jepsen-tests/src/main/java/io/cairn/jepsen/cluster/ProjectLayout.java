package io.cairn.jepsen.cluster;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's root (the directory holding {@code server/} and {@code jepsen-tests/}) and the
 * server jar the reactor's {@code package} of module server builds there.
 */
public final class ProjectLayout {

  private ProjectLayout() {}

  /**
   * The project root: system property {@code cairn.root} when set, else the first directory upwards
   * from the working directory that holds both {@code server} and {@code jepsen-tests}.
   */
  public static Path root() {
    String configured = System.getProperty("cairn.root");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("server")) && Files.isDirectory(dir.resolve("jepsen-tests"))) {
        return dir;
      }
    }
    throw new IllegalStateException("cannot find the Cairn project root (a directory holding server/ and jepsen-tests/)"
        + " above " + Path.of("").toAbsolutePath() + "; set -Dcairn.root=<dir>");
  }

  /** server/target/cairn-server.jar, which must exist. */
  public static Path serverJar() {
    return built("server/target/cairn-server.jar", "./mvnw -q -o -pl server -am package -DskipTests");
  }

  /**
   * server-faults/target/cairn-server-faults.jar, which must exist: the planted bugs, put on a
   * member's class path only for runs that ask for one.
   */
  public static Path serverFaultsJar() {
    return built("server-faults/target/cairn-server-faults.jar",
        "./mvnw -q -o -pl server,server-faults -am package -DskipTests");
  }

  private static Path built(String relative, String buildCommand) {
    Path jar = root().resolve(relative);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first with " + buildCommand);
    }
    return jar;
  }

  /**
   * Which source the run's jars were built from, for the verdict: the git commit of {@link #root()},
   * with "+local changes" when tracked files differ from it, or "unknown" outside a git checkout.
   */
  public static String sourceVersion() {
    Path root = root();
    Shell.Result head = Shell.tryRun("git", "-C", root.toString(), "rev-parse", "--short=12", "HEAD");
    if (head.exitCode() != 0) {
      return "unknown (" + root + " is not a git checkout)";
    }
    Shell.Result changes = Shell.tryRun("git", "-C", root.toString(), "status", "--porcelain", "--untracked-files=no");
    return head.output().strip() + (changes.exitCode() == 0 && changes.output().isBlank() ? "" : " +local changes");
  }
}
