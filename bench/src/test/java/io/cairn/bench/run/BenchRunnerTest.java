package io.cairn.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bench.stats.LatencySeries;
import io.grpc.Status;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BenchRunnerTest {
  /**
   * A scenario whose operations take a random virtual time and fail once in {@code failEvery};
   * it checks that no client ever has two operations outstanding.
   */
  private static class FakeScenario implements Scenario {
    final VirtualScheduler scheduler;
    final SplittableRandom random;
    final long maxLatencyNanos;
    final int failEvery;
    final boolean[] outstanding;
    long issued;
    long failedOnPurpose;

    FakeScenario(VirtualScheduler scheduler, long seed, int clients, long maxLatencyNanos,
        int failEvery) {
      this.scheduler = scheduler;
      this.random = new SplittableRandom(seed);
      this.outstanding = new boolean[clients];
      this.maxLatencyNanos = maxLatencyNanos;
      this.failEvery = failEvery;
    }

    @Override
    public String name() {
      return "fake";
    }

    @Override
    public void issue(int client, Completion done) {
      if (outstanding[client]) {
        throw new AssertionError("client " + client + " issued while an operation is outstanding");
      }
      outstanding[client] = true;
      long n = issued++;
      boolean fail = failEvery > 0 && n % failEvery == 0;
      if (fail) {
        failedOnPurpose++;
      }
      scheduler.schedule(() -> {
        outstanding[client] = false;
        if (fail) {
          done.failed(Status.UNAVAILABLE.withDescription("etcdserver: no leader").asException());
        } else {
          done.succeeded();
        }
      }, 1 + random.nextLong(maxLatencyNanos));
    }
  }

  @Test
  void totalIsHonouredExactly() {
    for (long seed = 1; seed <= 30; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      int clients = 1 + random.nextInt(64);
      long total = 1 + random.nextInt(5_000);
      VirtualScheduler scheduler = new VirtualScheduler();
      FakeScenario scenario = new FakeScenario(scheduler, seed, clients, 5_000_000, 7);
      LatencySeries requests = new LatencySeries("requests");
      CompletableFuture<Void> done = new BenchRunner(scenario, clients,
          new RequestBudget(total, 0, 0, scheduler.nanoTime()), scheduler, requests).start();
      scheduler.runUntilIdle();
      String context = "seed " + seed + " (" + clients + " clients, total " + total + ")";
      assertTrue(done.isDone(), context);
      assertEquals(total, scenario.issued, context);
      assertEquals(total - scenario.failedOnPurpose, requests.totalSoFar().getTotalCount(), context);
      assertEquals(scenario.failedOnPurpose, requests.errorCount(), context);
    }
  }

  @Test
  void rateIsHonouredByCountOverVirtualTime() {
    for (long seed = 1; seed <= 10; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      int clients = 1 + random.nextInt(50);
      double rate = 50 + random.nextInt(2_000);
      long seconds = 1 + random.nextInt(5);
      VirtualScheduler scheduler = new VirtualScheduler();
      // Operations are fast enough that the clients together can always keep up with the rate.
      long maxLatency = (long) (clients * 1e9 / rate / 2);
      FakeScenario scenario = new FakeScenario(scheduler, seed, clients, Math.max(2, maxLatency), 0);
      new BenchRunner(scenario, clients,
          new RequestBudget(0, TimeUnit.SECONDS.toNanos(seconds), rate, scheduler.nanoTime()),
          scheduler, new LatencySeries("requests")).start();
      scheduler.runUntilIdle();
      double expected = rate * seconds;
      assertEquals(expected, scenario.issued, 1.0,
          "seed " + seed + ": " + clients + " clients at " + rate + "/s for " + seconds + " s");
    }
  }

  @Test
  void slowOperationsLimitThroughputBelowTheRate() {
    VirtualScheduler scheduler = new VirtualScheduler();
    int clients = 2;
    FakeScenario scenario = new FakeScenario(scheduler, 3, clients, 1, 0) {
      @Override
      public void issue(int client, Completion done) {
        issued++;
        scheduler.schedule(done::succeeded, TimeUnit.MILLISECONDS.toNanos(10));
      }
    };
    new BenchRunner(scenario, clients,
        new RequestBudget(0, TimeUnit.SECONDS.toNanos(1), 1_000, 0), scheduler,
        new LatencySeries("requests")).start();
    scheduler.runUntilIdle();
    // Two clients, 10 ms each, one outstanding apiece: at most 200 in one second, not 1000.
    assertEquals(200, scenario.issued, 2);
  }

  @Test
  void scenarioThatThrowsCountsAsAFailureAndTheRunStillEnds() {
    VirtualScheduler scheduler = new VirtualScheduler();
    Scenario throwing = new Scenario() {
      @Override
      public String name() {
        return "throwing";
      }

      @Override
      public void issue(int client, Completion done) {
        throw new IllegalArgumentException("bad request built");
      }
    };
    LatencySeries requests = new LatencySeries("requests");
    CompletableFuture<Void> done = new BenchRunner(throwing, 3,
        new RequestBudget(10, 0, 0, 0), scheduler, requests).start();
    scheduler.runUntilIdle();
    assertTrue(done.isDone());
    assertEquals(10, requests.errorCount());
  }

  @Test
  void completingTwiceIsRefused() {
    VirtualScheduler scheduler = new VirtualScheduler();
    Completion[] captured = new Completion[1];
    Scenario once = new Scenario() {
      @Override
      public String name() {
        return "once";
      }

      @Override
      public void issue(int client, Completion done) {
        captured[0] = done;
      }
    };
    CompletableFuture<Void> done = new BenchRunner(once, 1, new RequestBudget(1, 0, 0, 0),
        scheduler, new LatencySeries("requests")).start();
    scheduler.runUntilIdle();
    assertFalse(done.isDone(), "the only operation is still outstanding");
    captured[0].succeeded();
    assertTrue(done.isDone());
    assertThrows(IllegalStateException.class, captured[0]::succeeded);
  }
}
