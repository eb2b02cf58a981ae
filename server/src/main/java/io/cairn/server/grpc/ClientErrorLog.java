package io.cairn.server.grpc;

import io.cairn.server.logging.LogRateLimit;
import io.cairn.server.logging.RateLimitedLog;
import java.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the client edge reports requests it refused as undecodable: one WARN line per refusal,
 * naming the peer and the method, never a stack trace, and at most {@link #LINES_PER_WINDOW}
 * lines per {@link #WINDOW_NANOS}; the first line after a quiet stretch says how many refusals
 * went unlogged. A client sending garbage in a loop therefore writes about a hundred bytes a
 * second to the log, however fast it sends.
 */
public final class ClientErrorLog {
  static final int LINES_PER_WINDOW = 10;
  static final long WINDOW_NANOS = 10_000_000_000L;

  private final RateLimitedLog log;

  public ClientErrorLog() {
    this(LoggerFactory.getLogger(ClientErrorLog.class), new LogRateLimit(LINES_PER_WINDOW, WINDOW_NANOS, System::nanoTime));
  }

  ClientErrorLog(Logger log, LogRateLimit limit) {
    this.log = new RateLimitedLog(log, limit, "refused requests");
  }

  /** Reports one refused request. */
  public void refused(String method, SocketAddress peer, String reason) {
    log.warn("refused a request from {} to {}: {}", peer, method, reason);
  }
}
