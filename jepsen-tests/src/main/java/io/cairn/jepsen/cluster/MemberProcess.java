package io.cairn.jepsen.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One member as an operating-system process inside its network namespace. {@code ip netns exec}
 * execs the server in place, so the process the harness holds is the server itself: kill -9,
 * SIGSTOP and SIGCONT reach it directly. The member's output goes to {@code <logDir>/<name>.log},
 * appended across restarts.
 */
public final class MemberProcess {

  private final MemberSpec spec;
  /** The full command line (fixed: a restart uses the same flags, as an operator's unit file would). */
  private final List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  /** The running process, or null while the member is down. Guarded by this. */
  private Process process;
  /** Exits the harness did not cause (crashes), as "exit code N at time": each is a finding. Guarded by this. */
  private final List<String> unexpectedExits = new ArrayList<>();

  MemberProcess(MemberSpec spec, List<String> command, Map<String, String> environment, Path log) {
    this.spec = spec;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.log = log;
  }

  public MemberSpec spec() {
    return spec;
  }

  /** Starts the member if it is not running. */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    noteUnexpectedExit();
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", spec.namespace()));
    full.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(environment);
    try {
      Files.writeString(log, "=== start " + java.time.Instant.now() + ": " + String.join(" ", full) + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start member " + spec.name() + ": " + e.getMessage(), e);
    }
  }

  /** kill -9, waiting until the process is gone. */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    noteUnexpectedExit();
    signal("KILL");
    waitGone();
  }

  /** Graceful stop (SIGTERM, then SIGKILL after 10 s). */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    signal("CONT"); // a paused process cannot handle SIGTERM
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    waitGone();
  }

  public synchronized void pause() {
    if (process != null) {
      signal("STOP");
    }
  }

  public synchronized void resume() {
    if (process != null) {
      signal("CONT");
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The exit code of a member that died on its own, or null while running or never started. */
  public synchronized Integer exitCode() {
    return process != null && !process.isAlive() ? process.exitValue() : null;
  }

  /** Crashes so far (exits the harness did not cause), including one that has not been restarted yet. */
  public synchronized List<String> unexpectedExits() {
    List<String> all = new ArrayList<>(unexpectedExits);
    if (process != null && !process.isAlive()) {
      all.add("exit code " + process.exitValue() + " (still down)");
    }
    return all;
  }

  private void noteUnexpectedExit() {
    if (process != null && !process.isAlive()) {
      unexpectedExits.add("exit code " + process.exitValue() + " (noticed " + java.time.Instant.now() + ")");
      process = null;
    }
  }

  private void signal(String name) {
    if (process.isAlive()) {
      Shell.tryRun("kill", "-" + name, Long.toString(process.pid()));
    }
  }

  private void waitGone() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("member " + spec.name() + " (pid " + process.pid() + ") did not exit");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }
}
