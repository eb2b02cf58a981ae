package io.cairn.server.tls;

import io.cairn.server.logging.LogRateLimit;
import io.cairn.server.logging.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where failed TLS handshakes and unusable rotated key pairs are reported: one WARN line per
 * failure, never a stack trace, at most {@link #LINES_PER_WINDOW} lines per
 * {@link #WINDOW_NANOS}; the next line written says how many were left out. A client retrying a
 * bad handshake in a loop cannot flood the log.
 */
public final class TlsFailureLog {
  static final int LINES_PER_WINDOW = 10;
  static final long WINDOW_NANOS = 10_000_000_000L;

  private final RateLimitedLog log;

  public TlsFailureLog() {
    this(LoggerFactory.getLogger(TlsFailureLog.class), new LogRateLimit(LINES_PER_WINDOW, WINDOW_NANOS, System::nanoTime));
  }

  TlsFailureLog(Logger log, LogRateLimit limit) {
    this.log = new RateLimitedLog(log, limit, "TLS failures");
  }

  /** Reports one failure; {@code what} must name no secret (file names are fine, key bytes never). */
  public void failed(String what) {
    log.warn("{}", what);
  }
}
