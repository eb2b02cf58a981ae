package io.cairn.jepsen.nemesis;

/**
 * The time source and the sleeps of a {@link NemesisSchedule}; the real one in a run, a simulated one
 * in the schedule's unit tests (where a sleep just advances the time).
 */
public interface ScheduleClock {

  /** The real clock: {@link System#nanoTime()} and {@link Thread#sleep(long)}. */
  ScheduleClock SYSTEM = new ScheduleClock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleepMillis(long millis) throws InterruptedException {
      Thread.sleep(millis);
    }
  };

  /** Monotonic time in nanoseconds ({@link System#nanoTime()} base for the real clock). */
  long nanoTime();

  /** Sleeps for {@code millis} (nothing when it is zero or negative). */
  void sleepMillis(long millis) throws InterruptedException;
}
