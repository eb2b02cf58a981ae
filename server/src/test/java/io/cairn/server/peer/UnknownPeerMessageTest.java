package io.cairn.server.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.raft.MessageType;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.internal.PeerAck;
import io.cairn.server.internal.PeerEnvelope;
import io.cairn.server.internal.RaftEntry;
import io.cairn.server.internal.RaftMessage;
import io.cairn.server.internal.RaftPeerGrpc;
import io.cairn.server.member.Member;
import io.cairn.server.testing.EtcdClient;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer of a newer version (or a broken one) that sends a message or entry type this member does
 * not know gets its stream refused with INVALID_ARGUMENT naming the code; the member keeps serving.
 */
class UnknownPeerMessageTest {
  @TempDir Path dir;

  @Test
  void unknownTypesAreRefusedAndTheMemberKeepsServing() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(1).dataDir(dir).start()) {
      cluster.awaitLeader(Duration.ofSeconds(10));
      Member member = cluster.member(0).member();
      URI peer = cluster.config(0).listenPeerUrls().get(0);
      ManagedChannel channel = NettyChannelBuilder.forAddress(peer.getHost(), peer.getPort()).usePlaintext().build();
      try {
        RaftMessage unknownType = RaftMessage.newBuilder().setType(99).setFrom(0x77).setTo(member.memberId()).build();
        assertRefused(channel, member, unknownType, "unknown raft message type code 99");
        RaftMessage unknownEntry = RaftMessage.newBuilder().setType(MessageType.APP.code()).setFrom(0x77)
            .setTo(member.memberId()).addEntries(RaftEntry.newBuilder().setTerm(1).setIndex(2).setType(7)).build();
        assertRefused(channel, member, unknownEntry, "unknown raft entry type code 7");
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      try (EtcdClient client = new EtcdClient(cluster.clientEndpoint(0))) {
        assertEquals(2, client.put("after", "v").getHeader().getRevision(), "the member still writes");
      }
    }
  }

  private static void assertRefused(ManagedChannel channel, Member member, RaftMessage m, String reason)
      throws Exception {
    CompletableFuture<Status> closed = new CompletableFuture<>();
    StreamObserver<PeerEnvelope> out = RaftPeerGrpc.newStub(channel).send(new StreamObserver<PeerAck>() {
      @Override
      public void onNext(PeerAck ack) { }

      @Override
      public void onError(Throwable t) {
        closed.complete(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        closed.complete(Status.OK);
      }
    });
    out.onNext(PeerEnvelope.newBuilder().setClusterId(member.clusterId()).setFromMember(0x77).addMessages(m).build());
    Status status = closed.get(10, TimeUnit.SECONDS);
    out.onCompleted();
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
    assertTrue(status.getDescription().contains(reason), status.getDescription());
  }
}
