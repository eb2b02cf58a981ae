package io.cairn.bench.restart;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.MaintenanceGrpc;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.StatusRequest;
import io.cairn.api.etcdserverpb.StatusResponse;
import io.cairn.bench.client.Endpoint;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Asks one member, over and over with short deadlines, for a linearizable Range until it answers:
 * the moment a restarted member serves again. The channel's reconnect back-off is reset before
 * every attempt, so a member that starts listening is reached within one poll interval.
 */
final class ServingProbe implements AutoCloseable {
  private static final ByteString KEY = ByteString.copyFromUtf8("/restart-probe");
  private static final long ATTEMPT_DEADLINE_MILLIS = 250;
  private static final long POLL_INTERVAL_MILLIS = 10;

  private final ManagedChannel channel;

  ServingProbe(Endpoint endpoint) {
    this.channel = Grpc.newChannelBuilderForAddress(endpoint.host(), endpoint.port(),
        InsecureChannelCredentials.create()).build();
  }

  /**
   * Polls until the member answers a linearizable Range; returns when, on {@link System#nanoTime()},
   * or throws if {@code limit} passes first.
   */
  long awaitServing(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    RangeRequest request = RangeRequest.newBuilder().setKey(KEY).build(); // serializable=false
    String lastProblem = "never tried";
    while (System.nanoTime() < deadline) {
      channel.resetConnectBackoff();
      try {
        KVGrpc.newBlockingStub(channel).withWaitForReady()
            .withDeadlineAfter(ATTEMPT_DEADLINE_MILLIS, TimeUnit.MILLISECONDS).range(request);
        return System.nanoTime();
      } catch (StatusRuntimeException e) {
        lastProblem = e.getStatus().toString();
      }
      Thread.sleep(POLL_INTERVAL_MILLIS);
    }
    throw new IllegalStateException("no linearizable read served within " + limit + ": " + lastProblem);
  }

  /** The member's Maintenance.Status (its id, and the leader it knows), or null if it does not answer. */
  StatusResponse status() {
    try {
      return MaintenanceGrpc.newBlockingStub(channel).withWaitForReady()
          .withDeadlineAfter(1, TimeUnit.SECONDS).status(StatusRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
