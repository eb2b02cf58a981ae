package io.cairn.server.logging;

import java.util.function.LongSupplier;

/**
 * Bounds how often one kind of log line is written: at most {@code linesPerWindow} lines per
 * window; the rest are counted, and the next line written says how many were left out. Lines
 * that clients can trigger at will (refused requests, entries that could not apply) go through
 * one of these, so no client can flood the log.
 */
public final class LogRateLimit {
  private final int linesPerWindow;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  /** Guarded by this. */
  private long windowStart;
  private int linesInWindow;
  private long suppressed;

  public LogRateLimit(int linesPerWindow, long windowNanos, LongSupplier nanoClock) {
    if (linesPerWindow <= 0 || windowNanos <= 0) {
      throw new IllegalArgumentException("linesPerWindow and windowNanos must be > 0");
    }
    this.linesPerWindow = linesPerWindow;
    this.windowNanos = windowNanos;
    this.nanoClock = nanoClock;
    this.windowStart = nanoClock.getAsLong();
  }

  /**
   * Whether a line may be written now: -1 if not (it is counted as left out), otherwise how many
   * lines were left out since the last one written.
   */
  public synchronized long tryAcquire() {
    long now = nanoClock.getAsLong();
    if (now - windowStart >= windowNanos) {
      windowStart = now;
      linesInWindow = 0;
    }
    if (linesInWindow >= linesPerWindow) {
      suppressed++;
      return -1;
    }
    linesInWindow++;
    long leftOut = suppressed;
    suppressed = 0;
    return leftOut;
  }
}
