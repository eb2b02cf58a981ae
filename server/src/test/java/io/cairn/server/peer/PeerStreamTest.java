package io.cairn.server.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.raft.Entry;
import io.cairn.raft.Message;
import io.cairn.raft.MessageType;
import io.cairn.server.internal.PeerAck;
import io.cairn.server.internal.PeerEnvelope;
import io.cairn.server.internal.RaftPeerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A peer that stops reading (paused, overloaded) must not make its sender queue without bound. */
class PeerStreamTest {

  private static final int APPEND_BYTES = 1 << 20;

  /** The peer's side: reads nothing until told to, then counts what arrives. */
  private final CompletableFuture<ServerCallStreamObserver<PeerAck>> peerCall = new CompletableFuture<>();
  private final AtomicInteger received = new AtomicInteger();
  private final AtomicLong receivedBytes = new AtomicLong();
  private Server server;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aPeerThatDoesNotReadGetsAtMostTheByteBoundQueuedAndTheRestIsReportedUnreachable() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor().addService(new RaftPeerGrpc.RaftPeerImplBase() {
      @Override
      public StreamObserver<PeerEnvelope> send(StreamObserver<PeerAck> responses) {
        ServerCallStreamObserver<PeerAck> call = (ServerCallStreamObserver<PeerAck>) responses;
        call.disableAutoRequest(); // a paused peer: nothing is read
        peerCall.complete(call);
        return new StreamObserver<>() {
          @Override
          public void onNext(PeerEnvelope envelope) {
            received.incrementAndGet();
            receivedBytes.addAndGet(envelope.getSerializedSize());
          }

          @Override
          public void onError(Throwable t) { }

          @Override
          public void onCompleted() { }
        };
      }
    }).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    AtomicInteger unreachable = new AtomicInteger();
    PeerStream stream = new PeerStream(2, 7, 1, channel, peer -> unreachable.incrementAndGet(), () -> { });

    int sends = 40; // 40 MiB of appends, the burst a resumed follower's heartbeat answers can cause
    for (int i = 0; i < sends; i++) {
      stream.send(List.of(append(i + 1)));
    }

    assertTrue(stream.unreadyBytes() <= PeerStream.MAX_UNREADY_BYTES,
        "queued " + stream.unreadyBytes() + " bytes for a peer that reads nothing");
    int accepted = sends - unreachable.get();
    assertTrue(accepted >= 1 && unreachable.get() > 0, "accepted " + accepted + ", unreachable " + unreachable.get());

    // The peer reads again: what was accepted arrives, and nothing else.
    peerCall.get(5, TimeUnit.SECONDS).request(Integer.MAX_VALUE);
    assertEquals(accepted, received.get());
    assertTrue(receivedBytes.get() <= PeerStream.MAX_UNREADY_BYTES + APPEND_BYTES + 1024, "received " + receivedBytes.get());
  }

  private static Message append(long index) {
    Entry entry = Entry.normal(3, index, new byte[APPEND_BYTES]);
    return new Message(MessageType.APP, 1, 2, 3, 3, index - 1, List.of(entry), 0, null, false, 0, null);
  }
}
