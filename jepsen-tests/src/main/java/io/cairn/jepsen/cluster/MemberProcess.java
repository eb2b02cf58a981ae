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
 *
 * <p>A member the harness removes from the cluster (the member nemesis) ends by itself, which is
 * then expected, not a crash: {@link #expectRemoval} before the removal is sent, {@link #awaitRemovedExit}
 * once it is done, {@link #rejoin} with new flags when it is added back (or {@link #removalRefused}).
 */
public final class MemberProcess {

  private final MemberSpec spec;
  /** What runs the command inside the member's namespace ({@code ip netns exec <ns>}). */
  private final List<String> launcher;
  /**
   * The full command line a (re)start uses: the flags it was last started with, as an operator's unit
   * file would keep them; only {@link #rejoin} changes it. Guarded by this.
   */
  private List<String> command;
  private final Map<String, String> environment;
  private final Path log;
  /** The running process, or null while the member is down. Guarded by this. */
  private Process process;
  /**
   * True from just before the harness asks the cluster to remove this member until it is added back
   * (or the removal was refused): meanwhile the process ending is expected, and {@link #start} does
   * nothing (its old flags would start a member the cluster no longer knows). Guarded by this.
   */
  private boolean outOfCluster;
  /** Exits the harness did not cause (crashes), as "exit code N at time": each is a finding. Guarded by this. */
  private final List<String> unexpectedExits = new ArrayList<>();

  MemberProcess(MemberSpec spec, List<String> command, Map<String, String> environment, Path log) {
    this(spec, List.of("ip", "netns", "exec", spec.namespace()), command, environment, log);
  }

  /** With another launcher: tests run plain commands, without namespaces. */
  MemberProcess(MemberSpec spec, List<String> launcher, List<String> command, Map<String, String> environment, Path log) {
    this.spec = spec;
    this.launcher = List.copyOf(launcher);
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.log = log;
  }

  public MemberSpec spec() {
    return spec;
  }

  /** The command line the next (re)start uses. */
  public synchronized List<String> command() {
    return command;
  }

  /** Starts the member if it is not running (and not out of the cluster). */
  public synchronized void start() {
    if (outOfCluster || (process != null && process.isAlive())) {
      return;
    }
    noteUnexpectedExit();
    List<String> full = new ArrayList<>(launcher);
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
    if (!waitUninterruptibly(process, 10_000)) {
      process.destroyForcibly();
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

  /**
   * The harness is about to remove this member from the cluster: from now on its process ending is
   * expected and {@link #start} does nothing, until {@link #rejoin} or {@link #removalRefused}.
   */
  public synchronized void expectRemoval() {
    noteUnexpectedExit();
    outOfCluster = true;
  }

  /** The removal did not happen: the member is part of the cluster again, and an exit is a crash. */
  public synchronized void removalRefused() {
    outOfCluster = false;
  }

  public synchronized boolean isOutOfCluster() {
    return outOfCluster;
  }

  /**
   * Waits up to {@code millis} for the removed member's process to end by itself, and stops it when it
   * does not (SIGTERM, then SIGKILL).
   *
   * @return what happened, for the nemesis's description
   */
  public synchronized String awaitRemovedExit(long millis) {
    if (!outOfCluster) {
      throw new IllegalStateException("member " + spec.name() + " is not being removed");
    }
    // An interrupt (the end of the run) must not cut this short: the caller wipes the data directory
    // next, which must not happen under a live process. It is kept for the caller.
    boolean interrupted = Thread.interrupted();
    try {
      if (process == null) {
        return "was not running";
      }
      if (waitForExit(millis)) {
        String what = "exited by itself with code " + process.exitValue();
        process = null;
        return what;
      }
      stop();
      return "still running after " + millis + " ms, stopped";
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The member was added back to the cluster: from now on every (re)start uses {@code newCommand}, and
   * an exit is a crash again. Starts it.
   */
  public synchronized void rejoin(List<String> newCommand) {
    if (!outOfCluster) {
      throw new IllegalStateException("member " + spec.name() + " was not removed, it cannot rejoin");
    }
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("member " + spec.name() + " still runs its old process (pid " + process.pid() + ")");
    }
    process = null;
    command = List.copyOf(newCommand);
    outOfCluster = false;
    start();
  }

  /** Waits up to {@code millis} for the process to end; true when it has (or there is none). */
  synchronized boolean waitForExit(long millis) {
    return process == null || waitUninterruptibly(process, millis);
  }

  /**
   * Waits up to {@code millis} for {@code p} to end, not cut short by an interrupt (kept for the
   * caller): whoever waits goes on to restart the member or wipe its data, which must not happen under
   * a process that is still alive.
   */
  private static boolean waitUninterruptibly(Process p, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * The exit code of a member that died on its own, or null while running, never started, or out of
   * the cluster (its exit is expected).
   */
  public synchronized Integer exitCode() {
    return !outOfCluster && process != null && !process.isAlive() ? process.exitValue() : null;
  }

  /**
   * Crashes so far (exits the harness did not cause), including one that has not been restarted yet;
   * a member still out of the cluster is reported too (the harness failed to add it back).
   */
  public synchronized List<String> unexpectedExits() {
    List<String> all = new ArrayList<>(unexpectedExits);
    if (outOfCluster) {
      all.add("removed from the cluster by the member nemesis and not added back");
    } else if (process != null && !process.isAlive()) {
      all.add("exit code " + process.exitValue() + " (still down)");
    }
    return all;
  }

  private void noteUnexpectedExit() {
    if (!outOfCluster && process != null && !process.isAlive()) {
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
    if (!waitUninterruptibly(process, 30_000)) {
      throw new IllegalStateException("member " + spec.name() + " (pid " + process.pid() + ") did not exit");
    }
    process = null;
  }
}
