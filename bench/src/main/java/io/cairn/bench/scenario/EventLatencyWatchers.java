package io.cairn.bench.scenario;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.bench.client.EtcdClients;
import io.cairn.bench.stats.LatencySeries;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N watch streams on one prefix that record, for every event, the time from the put's send
 * (carried in the value, see {@link Values}) to the event's receipt.
 *
 * <p>Watcher {@code i} uses the channel of logical client {@code i}, so watchers spread over the
 * connections like clients do. Events whose value carries no timestamp (for example deletes) are
 * counted but not timed.
 */
final class EventLatencyWatchers implements AutoCloseable {
  private final EtcdClients clients;
  private final LatencySeries series;
  private final List<StreamObserver<WatchRequest>> streams = new ArrayList<>();
  /** Events received across all watchers. */
  private final AtomicLong received = new AtomicLong();
  private final Object drainLock = new Object();
  /** Event count {@link #awaitEvents} waits for; Long.MAX_VALUE while nobody waits. */
  private volatile long awaited = Long.MAX_VALUE;

  EventLatencyWatchers(EtcdClients clients, LatencySeries series) {
    this.clients = clients;
    this.series = series;
  }

  /** Opens {@code count} watchers on {@code prefix} and waits until the server created them all. */
  void open(int count, ByteString prefix, boolean prevKv) throws InterruptedException {
    CountDownLatch created = new CountDownLatch(count);
    List<Throwable> failures = new ArrayList<>();
    WatchRequest create = WatchRequest.newBuilder()
        .setCreateRequest(WatchCreateRequest.newBuilder()
            .setKey(prefix)
            .setRangeEnd(Keys.prefixEnd(prefix))
            .setPrevKv(prevKv))
        .build();
    for (int i = 0; i < count; i++) {
      StreamObserver<WatchRequest> requests = clients.watch(i).watch(new StreamObserver<>() {
        @Override
        public void onNext(WatchResponse response) {
          if (response.getCreated()) {
            created.countDown();
          }
          onEvents(response.getEventsList());
        }

        @Override
        public void onError(Throwable t) {
          synchronized (failures) {
            failures.add(t);
          }
          created.countDown();
        }

        @Override
        public void onCompleted() {}
      });
      requests.onNext(create);
      streams.add(requests);
    }
    if (!created.await(clients.timeoutNanos(), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("watchers not created within the request timeout");
    }
    synchronized (failures) {
      if (!failures.isEmpty()) {
        throw new IllegalStateException("watch creation failed: " + failures.get(0), failures.get(0));
      }
    }
  }

  private void onEvents(List<Event> events) {
    long now = System.nanoTime();
    for (Event e : events) {
      long sent = Values.sentNanos(e.getKv().getValue());
      if (e.getType() == Event.EventType.PUT && sent > 0) {
        series.recordSuccess(Math.max(0, now - sent));
      }
    }
    if (!events.isEmpty() && received.addAndGet(events.size()) >= awaited) {
      synchronized (drainLock) {
        drainLock.notifyAll();
      }
    }
  }

  long received() {
    return received.get();
  }

  /**
   * Waits until {@code expected} events arrived in total or the timeout passed; events still
   * missing then are recorded as errors of the series.
   */
  void awaitEvents(long expected, long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    awaited = expected;
    synchronized (drainLock) {
      long remaining;
      while (received.get() < expected && (remaining = deadline - System.nanoTime()) > 0) {
        TimeUnit.NANOSECONDS.timedWait(drainLock, remaining);
      }
    }
    awaited = Long.MAX_VALUE;
    for (long missing = expected - received.get(); missing > 0; missing--) {
      series.recordError("MISSING: watch event not received within --timeout after the last put");
    }
  }

  @Override
  public void close() {
    for (StreamObserver<WatchRequest> s : streams) {
      try {
        s.onCompleted();
      } catch (RuntimeException ignored) {
        // The stream is already broken; nothing left to release.
      }
    }
  }
}
