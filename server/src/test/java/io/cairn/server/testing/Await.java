package io.cairn.server.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls observable state until a condition holds, failing with a message after a deadline. */
public final class Await {
  private Await() {}

  public static void until(Duration timeout, BooleanSupplier done, String what) {
    until(timeout, done, () -> what);
  }

  /** As above; {@code what} is asked for only on failure (it may report the last attempt). */
  public static void until(Duration timeout, BooleanSupplier done, java.util.function.Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what.get());
      }
      try {
        Thread.sleep(10); // polling interval of a wait with a deadline, not a synchronization
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what.get(), e);
      }
    }
  }
}
