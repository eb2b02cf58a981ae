package io.cairn.jepsen.workload;

import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.jepsen.client.Bytes;
import io.cairn.jepsen.client.EtcdConnection;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for one key's deletion the way etcd's lock recipe waits for its predecessor: a Watch on the
 * key from the revision at which the key was seen, until a DELETE event arrives. A stream that ends
 * (member killed, watch cancelled by the server) ends the wait unsuccessfully, as in the recipe.
 */
final class DeleteWait implements ClientResponseObserver<WatchRequest, WatchResponse> {

  private final CountDownLatch ended = new CountDownLatch(1);
  /** Set before {@link #ended} opens when a DELETE event arrived. */
  private volatile boolean deleted;
  private volatile ClientCallStreamObserver<WatchRequest> requests;

  private DeleteWait() {}

  /**
   * Whether {@code key} was deleted at or after {@code fromRevision} within {@code millis}; false when the
   * stream ended first or the time ran out.
   */
  static boolean await(EtcdConnection member, String key, long fromRevision, long millis) throws InterruptedException {
    DeleteWait wait = new DeleteWait();
    member.watch().watch(wait);
    try {
      wait.requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
          .setKey(Bytes.of(key)).setStartRevision(fromRevision)).build());
      wait.ended.await(millis, TimeUnit.MILLISECONDS);
      return wait.deleted;
    } finally {
      wait.requests.cancel("wait over", null);
    }
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<WatchRequest> stream) {
    requests = stream;
  }

  @Override
  public void onNext(WatchResponse r) {
    for (Event e : r.getEventsList()) {
      if (e.getType() == Event.EventType.DELETE) {
        deleted = true;
      }
    }
    if (deleted || r.getCanceled()) {
      ended.countDown();
    }
  }

  @Override
  public void onError(Throwable t) {
    ended.countDown();
  }

  @Override
  public void onCompleted() {
    ended.countDown();
  }
}
