package io.cairn.jepsen.nemesis;

/** Test clock: time stands still except when someone sleeps or {@link #advanceMillis} is called. */
final class SimulatedClock implements ScheduleClock {

  private long nanos;

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public void sleepMillis(long millis) {
    advanceMillis(Math.max(0, millis));
  }

  void advanceMillis(long millis) {
    nanos += millis * 1_000_000L;
  }

  long millis() {
    return nanos / 1_000_000L;
  }
}
