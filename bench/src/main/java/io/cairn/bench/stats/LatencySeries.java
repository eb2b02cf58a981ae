package io.cairn.bench.stats;

import io.grpc.Status;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies and errors of one kind of operation (for example "requests" or "watch-events").
 *
 * <p>Recording is wait-free and safe from any thread (gRPC callbacks record directly). Reading is
 * done by a single consumer, the progress ticker, which drains interval histograms with {@link
 * #takeInterval()}; every interval is also folded into the running total so the final summary
 * covers the whole run. Latencies are stored in microseconds with three significant digits.
 */
public final class LatencySeries {
  private final String name;
  private final Recorder recorder = new Recorder(3);
  /** Sum of every interval taken so far; guarded by {@code this}. */
  private final Histogram total = new Histogram(3);
  /** Error occurrences by "CODE: message"; values only grow. */
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder errorCount = new LongAdder();

  public LatencySeries(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Records one successful operation that took {@code latencyNanos}. Negative values are a bug. */
  public void recordSuccess(long latencyNanos) {
    if (latencyNanos < 0) {
      throw new IllegalStateException("negative latency " + latencyNanos + " ns in series " + name);
    }
    recorder.recordValue(TimeUnit.NANOSECONDS.toMicros(latencyNanos));
  }

  /** Records one failed operation under the gRPC status it ended with. */
  public void recordError(Throwable failure) {
    recordError(errorKey(Status.fromThrowable(failure)));
  }

  /** Records one failed operation under an already formatted key. */
  public void recordError(String key) {
    errors.computeIfAbsent(key, k -> new LongAdder()).increment();
    errorCount.increment();
  }

  /**
   * The key errors are grouped by: the status code and etcd's message. Deadline messages carry
   * varying timings, so they are grouped under one key.
   */
  public static String errorKey(Status status) {
    if (status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return "DEADLINE_EXCEEDED: client timeout (--timeout) expired";
    }
    String description = status.getDescription();
    return description == null ? status.getCode().name() : status.getCode() + ": " + description;
  }

  /** Drains what was recorded since the previous call, adding it to the total. Single consumer. */
  public synchronized Histogram takeInterval() {
    Histogram interval = recorder.getIntervalHistogram();
    total.add(interval);
    return interval;
  }

  /** A copy of everything recorded so far, draining the current interval first. */
  public synchronized Histogram totalSoFar() {
    takeInterval();
    return total.copy();
  }

  /** Forgets everything recorded so far (after a warm-up phase). */
  public synchronized void reset() {
    recorder.reset();
    total.reset();
    errors.clear();
    errorCount.reset();
  }

  public long errorCount() {
    return errorCount.sum();
  }

  /** Errors by key, sorted by key for stable output. */
  public Map<String, Long> errorsByKey() {
    Map<String, Long> out = new TreeMap<>();
    errors.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Summarises the whole series, given how long the measured phase lasted. */
  public SeriesSummary summarize(double elapsedSeconds) {
    return SeriesSummary.of(name, totalSoFar(), errorsByKey(), elapsedSeconds);
  }
}
