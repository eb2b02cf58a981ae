package io.cairn.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogRateLimitTest {
  @Test
  void writesABurstPerWindowAndCountsTheRest() {
    AtomicLong now = new AtomicLong(1_000);
    LogRateLimit limit = new LogRateLimit(3, 100, now::get);
    List<Long> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(limit.tryAcquire());
    }
    assertEquals(List.of(0L, 0L, 0L, -1L, -1L), answers);
    now.addAndGet(99);
    assertEquals(-1, limit.tryAcquire(), "still the same window");
    now.addAndGet(1);
    assertEquals(3, limit.tryAcquire(), "the first line of the next window tells how many were left out");
    assertEquals(0, limit.tryAcquire());
  }
}
