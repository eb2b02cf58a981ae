package io.cairn.bench.report;

import io.cairn.bench.stats.LatencySeries;
import io.cairn.bench.stats.StatsCollector;
import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Once per second, drains the interval histograms of every series: writes them to the HDR log
 * (if any) and shows progress on stderr (stdout stays clean for {@code --json}). On a terminal the
 * progress is a bar redrawn in place; otherwise one plain line per interval.
 *
 * <p>It is the only consumer of interval histograms during a run; {@link #stop()} takes the last
 * interval so that the log and the final totals cover the whole run.
 */
public final class ProgressTicker implements AutoCloseable {
  private static final int BAR_WIDTH = 30;

  private final StatsCollector stats;
  private final PrintStream out;
  private final boolean terminal;
  private final long total;
  private final long durationNanos;
  private final HistogramLogWriter log;
  private final long startNanos = System.nanoTime();
  private final long startMillis = System.currentTimeMillis();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "progress");
    t.setDaemon(true);
    return t;
  });
  /** Successful requests so far; only touched by the ticking thread and then by stop(). */
  private long done;
  private long errorsShown;
  private long lastTickMillis = startMillis;

  /**
   * @param total requests of the run, 0 when bounded by duration
   * @param durationNanos run length, 0 when bounded by count
   * @param hdrLog file for interval histograms, or null
   */
  public ProgressTicker(StatsCollector stats, PrintStream out, boolean terminal, long total,
      long durationNanos, Path hdrLog) throws FileNotFoundException {
    this.stats = stats;
    this.out = out;
    this.terminal = terminal;
    this.total = total;
    this.durationNanos = durationNanos;
    if (hdrLog != null) {
      log = new HistogramLogWriter(hdrLog.toFile());
      log.outputLogFormatVersion();
      log.outputComment("cairn-bench interval histograms; values in microseconds; tag = series");
      log.outputStartTime(startMillis);
      log.setBaseTime(startMillis);
      log.outputLegend();
    } else {
      log = null;
    }
  }

  public void start() {
    timer.scheduleAtFixedRate(() -> tick(false), 1, 1, TimeUnit.SECONDS);
  }

  private synchronized void tick(boolean last) {
    long nowMillis = System.currentTimeMillis();
    Histogram requests = null;
    for (LatencySeries series : stats.allSeries()) {
      Histogram interval = series.takeInterval();
      if (series.name().equals(StatsCollector.REQUESTS)) {
        requests = interval;
      }
      if (log != null) {
        interval.setTag(series.name());
        interval.setStartTimeStamp(lastTickMillis);
        interval.setEndTimeStamp(nowMillis);
        log.outputIntervalHistogram(interval);
      }
    }
    double seconds = Math.max(1, nowMillis - lastTickMillis) / 1000.0;
    lastTickMillis = nowMillis;
    done += requests == null ? 0 : requests.getTotalCount();
    long errors = stats.series(StatsCollector.REQUESTS).errorCount();
    if (terminal) {
      out.print("\r" + bar() + String.format(Locale.ROOT, " %d ok  %d err  %.0f/s   ",
          done, errors, requests == null ? 0 : requests.getTotalCount() / seconds));
      if (last) {
        out.println();
      }
    } else if (!last || errors != errorsShown) {
      out.println(String.format(Locale.ROOT, "[%6.1fs] %d ok, %d errors, %.0f req/s, p50 %.2f ms, "
              + "p99 %.2f ms", (System.nanoTime() - startNanos) / 1e9, done, errors,
          requests == null ? 0 : requests.getTotalCount() / seconds,
          percentileMs(requests, 50), percentileMs(requests, 99)));
    }
    errorsShown = errors;
    out.flush();
  }

  private static double percentileMs(Histogram h, double p) {
    return h == null || h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1000.0;
  }

  /** "[=====>      ]  45%" by request count or by elapsed time. */
  private String bar() {
    double fraction = total > 0
        ? (double) (done + stats.series(StatsCollector.REQUESTS).errorCount()) / total
        : (double) (System.nanoTime() - startNanos) / durationNanos;
    fraction = Math.max(0, Math.min(1, fraction));
    int filled = (int) Math.round(fraction * BAR_WIDTH);
    return "[" + "=".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] "
        + String.format(Locale.ROOT, "%3.0f%%", fraction * 100);
  }

  /** Stops ticking and flushes the last interval (to the log and the totals). */
  public void stop() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tick(true);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (log != null) {
      log.close();
    }
  }
}
