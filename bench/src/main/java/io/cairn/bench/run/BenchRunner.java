package io.cairn.bench.run;

import io.cairn.bench.stats.LatencySeries;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives a {@link Scenario}: {@code clients} logical clients, each with exactly one operation
 * outstanding, issuing until the {@link RequestBudget} says stop.
 *
 * <p>No thread is dedicated to a client. A client's next operation is started from the callback
 * that completed its previous one (a gRPC thread), or from the scheduler when the rate limit says
 * to wait. Latency is measured from the moment the operation is issued to its completion.
 */
public final class BenchRunner {
  private final Scenario scenario;
  private final int clients;
  private final RequestBudget budget;
  private final Scheduler scheduler;
  private final LatencySeries requests;
  /** Clients that have not yet found the budget spent; the run is over when it reaches 0. */
  private final AtomicInteger activeClients = new AtomicInteger();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();

  public BenchRunner(
      Scenario scenario, int clients, RequestBudget budget, Scheduler scheduler,
      LatencySeries requests) {
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be at least 1: " + clients);
    }
    this.scenario = scenario;
    this.clients = clients;
    this.budget = budget;
    this.scheduler = scheduler;
    this.requests = requests;
  }

  /** Starts every client; the future completes when the last one has stopped. Call once. */
  public CompletableFuture<Void> start() {
    if (!activeClients.compareAndSet(0, clients)) {
      throw new IllegalStateException("runner already started");
    }
    for (int c = 0; c < clients; c++) {
      int client = c;
      scheduler.schedule(() -> next(client), 0);
    }
    return finished;
  }

  private void next(int client) {
    long now = scheduler.nanoTime();
    OptionalLong slot = budget.claim(now);
    if (slot.isEmpty()) {
      if (activeClients.decrementAndGet() == 0) {
        finished.complete(null);
      }
      return;
    }
    long delay = slot.getAsLong() - now;
    if (delay > 0) {
      scheduler.schedule(() -> issue(client), delay);
    } else {
      issue(client);
    }
  }

  private void issue(int client) {
    OperationCompletion done = new OperationCompletion(client, scheduler.nanoTime());
    try {
      scenario.issue(client, done);
    } catch (RuntimeException e) {
      // A scenario that throws instead of completing still ends its operation, as a failure.
      done.failed(e);
    }
  }

  /** Records the outcome of one operation, then starts the client's next one. */
  private final class OperationCompletion implements Completion {
    private final int client;
    private final long startNanos;
    private final AtomicBoolean completed = new AtomicBoolean();

    OperationCompletion(int client, long startNanos) {
      this.client = client;
      this.startNanos = startNanos;
    }

    @Override
    public long startNanos() {
      return startNanos;
    }

    @Override
    public void succeeded() {
      markCompleted();
      requests.recordSuccess(scheduler.nanoTime() - startNanos);
      next(client);
    }

    @Override
    public void failed(Throwable failure) {
      markCompleted();
      requests.recordError(failure);
      next(client);
    }

    private void markCompleted() {
      if (!completed.compareAndSet(false, true)) {
        throw new IllegalStateException(
            "scenario " + scenario.name() + " completed an operation of client " + client + " twice");
      }
    }
  }
}
