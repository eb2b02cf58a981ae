package io.cairn.bench.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples RSS and CPU time of server processes from Linux /proc while a run is in progress.
 *
 * <p>RSS is {@code VmRSS} of /proc/PID/status, summed over the processes, sampled every
 * {@value #PERIOD_MILLIS} ms; the peak sum is kept. CPU is utime+stime of /proc/PID/stat (fields
 * 14 and 15, in clock ticks) at the end minus at the start.
 */
public final class ResourceSampler implements AutoCloseable {
  private static final long PERIOD_MILLIS = 200;
  /** USER_HZ; 100 on every Linux architecture Cairn runs on. */
  private static final double CLOCK_TICKS_PER_SECOND = 100.0;

  private final List<Long> pids;
  private final long startTicks;
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "resource-sampler");
    t.setDaemon(true);
    return t;
  });
  /** Largest summed RSS seen so far; guarded by {@code this}. */
  private long peakRssBytes;

  /** Starts sampling; fails at once if a process does not exist. */
  public ResourceSampler(List<Long> pids) {
    this.pids = List.copyOf(pids);
    this.startTicks = cpuTicks();
    sample();
    timer.scheduleAtFixedRate(this::sample, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
  }

  private synchronized void sample() {
    long sum = 0;
    for (long pid : pids) {
      sum += rssBytes(pid);
    }
    peakRssBytes = Math.max(peakRssBytes, sum);
  }

  private long cpuTicks() {
    long sum = 0;
    for (long pid : pids) {
      sum += cpuTicks(pid);
    }
    return sum;
  }

  /** Stops sampling and returns what was seen. */
  public ResourceUsage finish() {
    timer.shutdownNow();
    sample();
    double cpuSeconds = (cpuTicks() - startTicks) / CLOCK_TICKS_PER_SECOND;
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    synchronized (this) {
      return new ResourceUsage(pids.size(), peakRssBytes, cpuSeconds,
          elapsed > 0 ? cpuSeconds / elapsed : 0);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** VmRSS of a process in bytes, parsed from the "VmRSS:  1234 kB" line. */
  static long rssBytes(long pid) {
    for (String line : read(pid, "status").split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
        return Long.parseLong(parts[0]) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS line in /proc/" + pid + "/status");
  }

  /** utime + stime of a process in clock ticks. */
  static long cpuTicks(long pid) {
    return cpuTicksOfStat(read(pid, "stat"));
  }

  /** utime + stime from the text of a /proc/PID/stat file. */
  static long cpuTicksOfStat(String stat) {
    // The command name (field 2) is parenthesised and may contain spaces: split after it.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // fields[0] is field 3 (state), so field N is fields[N - 3].
    return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
  }

  private static String read(long pid, String file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc/" + pid + "/" + file, e);
    }
  }
}
