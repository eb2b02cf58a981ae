package io.cairn.server.member;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * When each step of a member's start was reached, counted from the moment the process was
 * executed: what a restart spends on the JVM, opening the store, reading the raft log, replaying
 * it, reaching the leader and catching up. Logged as one line once the member has caught up
 * ({@link #summary()}); {@code bench restart} reads that line.
 *
 * <p>Any thread may mark a phase; only the first mark of each phase counts.
 */
public final class StartTimeline {
  /** The steps of a start, in the order they normally happen. */
  public enum Phase {
    /** {@code main()} entered: the launcher and the JVM are done. */
    MAIN("main"),
    /** The MVCC store (RocksDB) is open. */
    STORE_OPENED("store-open"),
    /** The raft log is read back from the WAL. */
    WAL_READ("wal-read"),
    /** The raft loop and the applier run. */
    RAFT_READY("raft-ready"),
    /** The client listeners are bound. */
    SERVING("serving"),
    /** This member first knows a leader. */
    LEADER_CONTACT("leader"),
    /** The state machine applied every entry the WAL held as committed. */
    REPLAYED("replayed"),
    /** A linearizable read barrier passed: this member serves up-to-date reads. */
    CAUGHT_UP("caught-up");

    private final String label;

    Phase(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** Where {@code bin/cairn} passes the wall-clock time it was executed at. */
  public static final String LAUNCH_PROPERTY = "cairn.launched-at";

  /** {@link System#nanoTime()} at the moment the process was executed (estimated). */
  private final long originNanos;
  private final Map<Phase, Long> marks = new EnumMap<>(Phase.class);
  private volatile long replayTarget = -1;
  /** {@link Phase#REPLAYED} is marked: the raft loop's per-turn check costs one volatile read. */
  private volatile boolean replayed;
  private String walDetail = "";

  private StartTimeline(long originNanos) {
    this.originNanos = originNanos;
  }

  /**
   * Times counted from when this process was executed: the wall-clock time {@code bin/cairn} passes
   * in the system property {@value #LAUNCH_PROPERTY} (seconds since the epoch, as bash's
   * {@code $EPOCHREALTIME} prints it), else the process start time the operating system reports
   * (on Linux only to within a second, since it is counted from the boot time in whole seconds).
   */
  public static StartTimeline sinceProcessStart() {
    long nowNanos = System.nanoTime();
    long nowMicros = System.currentTimeMillis() * 1000;
    long startMicros = launchMicros().orElseGet(() -> ProcessHandle.current().info().startInstant()
        .map(i -> i.toEpochMilli() * 1000).orElse(nowMicros));
    return new StartTimeline(nowNanos - Math.max(0, nowMicros - startMicros) * 1000L);
  }

  private static Optional<Long> launchMicros() {
    String launch = System.getProperty(LAUNCH_PROPERTY, "").replace(',', '.');
    try {
      return launch.isEmpty() ? Optional.empty()
          : Optional.of(new BigDecimal(launch).movePointRight(6).longValue());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Times counted from now (an in-process start, where the JVM's own start is not this member's). */
  public static StartTimeline sinceNow() {
    return new StartTimeline(System.nanoTime());
  }

  public synchronized void mark(Phase phase) {
    marks.putIfAbsent(phase, System.nanoTime());
  }

  public synchronized boolean reached(Phase phase) {
    return marks.containsKey(phase);
  }

  /** What the WAL held at restart: the entries after its last snapshot marker. */
  synchronized void walRead(int entries, long markerIndex, long appliedIndex, long commitIndex) {
    walDetail = "wal: " + entries + " entries after marker " + markerIndex + ", applied " + appliedIndex
        + " of commit " + commitIndex;
    replayTarget = commitIndex;
    mark(Phase.WAL_READ);
  }

  /**
   * The applier has applied up to {@code appliedIndex}: marks {@link Phase#REPLAYED} once that
   * covers what the WAL held as committed (at once for a member that had nothing to replay).
   */
  void applied(long appliedIndex) {
    if (!replayed && appliedIndex >= replayTarget) {
      replayed = true;
      mark(Phase.REPLAYED);
    }
  }

  /** Milliseconds from process start to {@code phase}, or -1 if not reached. */
  public synchronized long millisAt(Phase phase) {
    Long at = marks.get(phase);
    return at == null ? -1 : (at - originNanos) / 1_000_000L;
  }

  /** One line: every phase reached, in milliseconds since the process started. */
  public synchronized String summary() {
    StringJoiner line = new StringJoiner(" ", "start breakdown (ms since exec): ", "");
    for (Phase phase : Phase.values()) {
      if (marks.containsKey(phase)) {
        line.add(phase.label() + "=" + millisAt(phase));
      }
    }
    return walDetail.isEmpty() ? line.toString() : line + " (" + walDetail + ")";
  }
}
