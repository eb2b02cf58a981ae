package io.cairn.bench.run;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** {@link Scheduler} on {@link System#nanoTime()} and one daemon timer thread. */
public final class RealScheduler implements Scheduler, AutoCloseable {
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-timer");
            t.setDaemon(true);
            return t;
          });

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void schedule(Runnable task, long delayNanos) {
    timer.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
