package io.cairn.jepsen.workload;

import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.jepsen.client.Bytes;
import io.cairn.jepsen.client.EtcdConnection;
import io.cairn.jepsen.watch.EventType;
import io.cairn.jepsen.watch.ReceivedEvent;
import io.cairn.jepsen.watch.WatcherStream;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One watcher: a Watch stream on a key prefix from a start revision, recording every event it
 * receives with the index of the response that carried it. It ends when cancelled or when the stream
 * breaks (member killed, partitioned); what it received up to then is checked, and the revision it is
 * known to have caught up to is the last event's (etcd 3.4 has progress requests, Cairn does not, so
 * the harness does not rely on them).
 */
final class WatchSession implements ClientResponseObserver<WatchRequest, WatchResponse> {

  private final String id;
  private final String prefix;
  private final long startRevision;
  private final boolean prevKv;
  /** Events received, in order. Guarded by this. */
  private final List<ReceivedEvent> events = new ArrayList<>();
  /** Responses received that carried events. Guarded by this. */
  private long responses;
  /** Set when the stream ended (error, completion or cancel). Guarded by this. */
  private String endReason;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile ClientCallStreamObserver<WatchRequest> requests;

  WatchSession(String id, String prefix, long startRevision, boolean prevKv) {
    this.id = id;
    this.prefix = prefix;
    this.startRevision = startRevision;
    this.prevKv = prevKv;
  }

  void start(EtcdConnection member) {
    member.watch().watch(this);
    requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
        .setKey(Bytes.of(prefix)).setRangeEnd(Bytes.prefixEnd(prefix)).setStartRevision(startRevision).setPrevKv(prevKv)).build());
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<WatchRequest> stream) {
    this.requests = stream;
  }

  @Override
  public synchronized void onNext(WatchResponse r) {
    if (r.getCanceled()) {
      end("cancelled by the server: " + r.getCancelReason());
      return;
    }
    if (r.getEventsCount() == 0) {
      return;
    }
    long index = responses++;
    for (Event e : r.getEventsList()) {
      EventType type = e.getType() == Event.EventType.DELETE ? EventType.DELETE : EventType.PUT;
      String prev = e.hasPrevKv() && e.getPrevKv().getModRevision() != 0 ? e.getPrevKv().getValue().toStringUtf8() : null;
      events.add(new ReceivedEvent(index, e.getKv().getModRevision(), e.getKv().getKey().toStringUtf8(), type,
          type == EventType.DELETE ? null : e.getKv().getValue().toStringUtf8(), prev));
    }
    notifyAll();
  }

  @Override
  public void onError(Throwable t) {
    end("stream failed: " + Outcomes.describe(t));
  }

  @Override
  public void onCompleted() {
    end("stream completed by the server");
  }

  private synchronized void end(String reason) {
    if (endReason == null) {
      endReason = reason;
    }
    ended.countDown();
    notifyAll();
  }

  /** Waits until the stream ends or {@code millis} pass; true when it ended. */
  boolean awaitEnd(long millis) throws InterruptedException {
    return ended.await(millis, TimeUnit.MILLISECONDS);
  }

  /** Waits until an event at or above {@code revision} arrived or the stream ended; true when it arrived. */
  synchronized boolean awaitRevision(long revision, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (lastRevision() < revision && endReason == null) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return lastRevision() >= revision;
  }

  /** Why the stream ended, or null while it runs. */
  synchronized String endReason() {
    return endReason;
  }

  /** The revision of the last event received (startRevision - 1 before any). */
  synchronized long lastRevisionReceived() {
    return lastRevision();
  }

  void cancel() {
    ClientCallStreamObserver<WatchRequest> r = requests;
    if (r != null) {
      r.cancel("watcher done", null);
    }
    end("cancelled by the client");
  }

  private long lastRevision() {
    return events.isEmpty() ? startRevision - 1 : events.get(events.size() - 1).revision();
  }

  /**
   * What the watcher saw, for the checker.
   *
   * @param caughtUpTo the revision up to which it must have received every event; use
   *     {@link Long#MIN_VALUE} for "its last event"
   */
  synchronized WatcherStream stream(long caughtUpTo) {
    long end = caughtUpTo == Long.MIN_VALUE ? lastRevision() : caughtUpTo;
    return new WatcherStream(id, prefix, Bytes.prefixEnd(prefix).toStringUtf8(), startRevision, Math.max(end, startRevision - 1),
        prevKv, events);
  }
}
