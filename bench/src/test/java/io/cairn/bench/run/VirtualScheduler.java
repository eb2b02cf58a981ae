package io.cairn.bench.run;

import java.util.PriorityQueue;

/**
 * A {@link Scheduler} on virtual time for tests: tasks run in time order (FIFO among equal times)
 * when the test calls {@link #runUntilIdle()}, and the clock jumps to each task's time.
 */
final class VirtualScheduler implements Scheduler {
  private record Task(long at, long order, Runnable body) {}

  private final PriorityQueue<Task> queue = new PriorityQueue<>(
      (a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.order, b.order));
  private long now;
  private long submitted;

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void schedule(Runnable task, long delayNanos) {
    queue.add(new Task(now + Math.max(0, delayNanos), submitted++, task));
  }

  /** Runs tasks until none is left; returns how many ran. */
  long runUntilIdle() {
    long ran = 0;
    Task t;
    while ((t = queue.poll()) != null) {
      now = t.at;
      t.body.run();
      ran++;
    }
    return ran;
  }
}
