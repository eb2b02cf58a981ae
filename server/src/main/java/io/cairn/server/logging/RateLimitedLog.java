package io.cairn.server.logging;

import java.util.Arrays;
import org.slf4j.Logger;

/**
 * WARN lines through a {@link LogRateLimit}: a line over the limit is left out and counted, and
 * the next line written ends with how many of its kind were left out, e.g.
 * {@code (12 more refused requests not logged)}.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final LogRateLimit limit;
  /** What the left-out lines were, in the plural ("refused requests"). */
  private final String kind;

  public RateLimitedLog(Logger log, LogRateLimit limit, String kind) {
    this.log = log;
    this.limit = limit;
    this.kind = kind;
  }

  /** One line, in slf4j's {@code {}} format, if the limit allows it. */
  public void warn(String format, Object... args) {
    long leftOut = limit.tryAcquire();
    if (leftOut == 0) {
      log.warn(format, args);
    } else if (leftOut > 0) {
      Object[] withCount = Arrays.copyOf(args, args.length + 1);
      withCount[args.length] = leftOut;
      log.warn(format + " ({} more " + kind + " not logged)", withCount);
    }
  }
}
