package io.cairn.server.watch;

import io.cairn.api.etcdserverpb.WatchGrpc;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.server.auth.CallAuth;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Executor;

/**
 * etcd's Watch service: one bidirectional stream carries many watches; create, cancel and progress
 * requests go to the member's {@link WatchHub}, which answers on the stream.
 */
public final class WatchService extends WatchGrpc.WatchImplBase {
  /** Events a stream may hold for a slow client before its watchers fall back to catching up. */
  static final int MAX_QUEUED_EVENTS_PER_STREAM = 4096;
  /**
   * Overrides {@link #MAX_QUEUED_EVENTS_PER_STREAM} for streams opened from then on: tests set it
   * low so that slow readers fall back to catching up from the store within a short run.
   */
  public static final String MAX_QUEUED_EVENTS_PROPERTY = "cairn.watch.maxQueuedEventsPerStream";

  private final WatchHub hub;
  private final Executor sender;
  private final int maxResponseBytes;

  /**
   * @param sender where responses are written to the transport
   * @param maxResponseBytes fragmenting watchers split responses above this (etcd: --max-request-bytes)
   */
  public WatchService(WatchHub hub, Executor sender, int maxResponseBytes) {
    this.hub = hub;
    this.sender = sender;
    this.maxResponseBytes = maxResponseBytes;
  }

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
    ServerCallStreamObserver<WatchResponse> out = (ServerCallStreamObserver<WatchResponse>) responses;
    int maxQueued = Integer.getInteger(MAX_QUEUED_EVENTS_PROPERTY, MAX_QUEUED_EVENTS_PER_STREAM);
    WatchStream stream = hub.register(new WatchStream(out, sender, hub::wakeSync, maxQueued,
        maxResponseBytes, LeaderRequirement.requiredByCurrentCall()));
    out.setOnCancelHandler(() -> {
      stream.markClosed();
      hub.unregister(stream);
    });
    // Requests are read one at a time, each once the answers to earlier ones fit (see WatchStream).
    CallAuth auth = CallAuth.current();
    out.disableAutoRequest();
    out.request(1);
    return new StreamObserver<>() {
      @Override
      public void onNext(WatchRequest request) {
        switch (request.getRequestUnionCase()) {
          case CREATE_REQUEST -> {
            String refusal = auth.watchRefusal(request.getCreateRequest());
            if (refusal == null) {
              hub.create(stream, request.getCreateRequest());
            } else {
              hub.refuseCreate(stream, refusal);
            }
          }
          case CANCEL_REQUEST -> hub.cancel(stream, request.getCancelRequest().getWatchId());
          case PROGRESS_REQUEST -> hub.requestProgress(stream);
          default -> { } // as etcd: an unknown request is ignored, the stream stays
        }
        stream.requestNextWhenRoom();
      }

      @Override
      public void onError(Throwable t) {
        stream.markClosed();
        hub.unregister(stream);
      }

      @Override
      public void onCompleted() {
        // As etcd: the client closing its sending side does not end the stream; events keep
        // flowing until the client cancels the call.
      }
    };
  }
}
