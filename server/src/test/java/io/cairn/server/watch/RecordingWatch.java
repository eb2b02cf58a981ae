package io.cairn.server.watch;

import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchGrpc;
import io.cairn.api.etcdserverpb.WatchProgressRequest;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One watch on its own stream, recording everything it receives. A slow one takes responses only
 * when the test lets it ({@link #allow}), so the server sees a client that does not keep up.
 */
final class RecordingWatch implements AutoCloseable {
  private final List<WatchResponse> responses = new ArrayList<>();
  private ClientCallStreamObserver<WatchRequest> requests;
  /** Set when the stream ended; guarded by this. */
  private Throwable endedWith;
  private boolean ended;

  RecordingWatch(ManagedChannel channel, WatchCreateRequest create, boolean slow) {
    WatchGrpc.newStub(channel).watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<WatchRequest> stream) {
        requests = stream;
        if (slow) {
          stream.disableAutoRequestWithInitial(1);
        }
      }

      @Override
      public void onNext(WatchResponse r) {
        synchronized (RecordingWatch.this) {
          responses.add(r);
          RecordingWatch.this.notifyAll();
        }
      }

      @Override
      public void onError(Throwable t) {
        end(t);
      }

      @Override
      public void onCompleted() {
        end(null);
      }
    });
    send(WatchRequest.newBuilder().setCreateRequest(create).build());
  }

  private synchronized void end(Throwable t) {
    ended = true;
    endedWith = t;
    notifyAll();
  }

  private synchronized void send(WatchRequest r) {
    if (!ended) {
      requests.onNext(r);
    }
  }

  /** Lets a slow watch take {@code n} more responses. */
  void allow(int n) {
    requests.request(n);
  }

  synchronized List<WatchResponse> responses() {
    return List.copyOf(responses);
  }

  synchronized boolean ended() {
    return ended;
  }

  synchronized Throwable endedWith() {
    return endedWith;
  }

  /** Whether the server canceled the watch (compaction, refusal). */
  synchronized boolean canceled() {
    return responses.stream().anyMatch(WatchResponse::getCanceled);
  }

  /**
   * Waits until a progress response shows every event up to {@code revision} was delivered (or
   * the watch was canceled or its stream ended). Asks again whenever a progress answer comes back
   * short (the member may not have applied {@code revision} yet).
   */
  synchronized boolean awaitProgress(long revision, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = responses.size();
    send(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
    while (System.nanoTime() < deadline) {
      if (ended || canceled()) {
        return true;
      }
      for (; seen < responses.size(); seen++) {
        WatchResponse r = responses.get(seen);
        if (r.getWatchId() == -1 && !r.getCreated() && r.getEventsCount() == 0) {
          if (r.getHeader().getRevision() >= revision) {
            return true;
          }
          send(WatchRequest.newBuilder().setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
        }
      }
      wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    return false;
  }

  @Override
  public synchronized void close() {
    if (!ended) {
      requests.cancel("test done", null);
    }
  }

  static List<WatchResponse> concat(List<RecordingWatch> parts) {
    List<WatchResponse> all = new ArrayList<>();
    parts.forEach(p -> all.addAll(p.responses()));
    return all;
  }
}
