package io.cairn.bench.restart;

import io.cairn.bench.client.Endpoint;
import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.run.BenchRunner;
import io.cairn.bench.run.RealScheduler;
import io.cairn.bench.run.RequestBudget;
import io.cairn.bench.scenario.KeySpace;
import io.cairn.bench.scenario.PutScenario;
import io.cairn.bench.stats.LatencySeries;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The bench's own put load (the {@code put} scenario: random keys, fixed-size values), run in the
 * background against some members while another one is killed and restarted, until stopped.
 */
final class BackgroundLoad implements AutoCloseable {
  /** Longer than any restart round; the load is stopped explicitly. */
  private static final long UNTIL_STOPPED_NANOS = TimeUnit.DAYS.toNanos(1);

  private final EtcdClients clients;
  private final RealScheduler scheduler = new RealScheduler();
  private final RequestBudget budget;
  private final LatencySeries puts = new LatencySeries("puts");
  private final CompletableFuture<Void> finished;
  private final long startNanos = System.nanoTime();

  /**
   * Starts {@code clientCount} clients over {@code conns} connections spread over
   * {@code endpoints}, at most {@code rate} puts per second (0: as fast as they are answered).
   */
  BackgroundLoad(List<Endpoint> endpoints, int clientCount, int conns, double rate, int valueSize) {
    this.clients = EtcdClients.connect(endpoints, conns, Duration.ofSeconds(5));
    this.budget = new RequestBudget(0, UNTIL_STOPPED_NANOS, rate, scheduler.nanoTime());
    KeySpace keys = new KeySpace("/load/", 6, 100_000, false, clientCount, 1);
    this.finished = new BenchRunner(new PutScenario(clients, keys, valueSize), clientCount, budget,
        scheduler, puts).start();
  }

  /** Puts per second answered so far (failures not counted). */
  double throughput() {
    return puts.totalSoFar().getTotalCount() / ((System.nanoTime() - startNanos) / 1e9);
  }

  /** Stops issuing, waits for the puts in flight, and closes the connections. */
  @Override
  public void close() throws Exception {
    budget.stop();
    finished.get(30, TimeUnit.SECONDS);
    scheduler.close();
    clients.close();
  }
}
