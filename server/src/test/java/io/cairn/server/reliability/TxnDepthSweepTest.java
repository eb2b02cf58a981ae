package io.cairn.server.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.etcdserverpb.TxnResponse;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.ServerProcess;
import io.cairn.storage.kv.RequestLimits;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nested txns of every depth from 1 to 10,000 against real etcd and a 3-member Cairn cluster: each
 * answer (status, message, and the revision of a success) must be etcd's, and afterwards, and
 * after every member restarted and replayed its log, all members must serve the same data. (A
 * 50-level txn used to be committed and then stop every member, on every restart.)
 */
class TxnDepthSweepTest {
  @TempDir Path dir;

  private static List<Integer> depths() {
    List<Integer> depths = new ArrayList<>();
    IntStream.rangeClosed(1, 140).forEach(depths::add);
    depths.addAll(List.of(200, 255, 256, 257, 258, 300, 512, 1000, 2000, 5000, 10_000));
    return depths;
  }

  private record Outcome(Status.Code code, String message, long revision) {
    static Outcome of(RawCalls.Answer answer) {
      if (!answer.ok()) {
        return new Outcome(answer.code(), answer.message(), 0);
      }
      try {
        return new Outcome(Status.Code.OK, null,
            RequestLimits.parse(TxnResponse.parser(), answer.response()).getHeader().getRevision());
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("response does not decode", e);
      }
    }
  }

  @Test
  void everyDepthAnswersAsEtcdAndNoMemberStops() {
    try (ServerProcess etcd = ServerProcess.etcd(dir.resolve("etcd")).start(Duration.ofSeconds(30));
        EmbeddedCluster cairn = EmbeddedCluster.builder(3).dataDir(dir.resolve("cairn")).start();
        RawCalls onEtcd = new RawCalls(etcd.endpoint())) {
      int leader = cairn.awaitLeader(Duration.ofSeconds(10));
      int accepted = 0;
      // Through a follower: the request also crosses the proposal forwarding path.
      try (RawCalls onCairn = new RawCalls(cairn.clientEndpoint((leader + 1) % 3))) {
        for (int depth : depths()) {
          byte[] txn = DeepTxns.chain(depth, "depth/" + depth);
          Outcome expected = Outcome.of(onEtcd.call("etcdserverpb.KV/Txn", txn));
          assertEquals(expected, Outcome.of(onCairn.call("etcdserverpb.KV/Txn", txn)), "txn nested " + depth + " deep");
          accepted += expected.code() == Status.Code.OK ? 1 : 0;
        }
      }
      // The sweep crossed both sides of etcd's limit.
      assertNotEquals(0, accepted);
      assertNotEquals(depths().size(), accepted);
      ConvergedMembers.assertAllServeTheSameData(cairn);
      ConvergedMembers.restartAll(cairn);
      ConvergedMembers.assertAllServeTheSameData(cairn);
    }
  }
}
