package io.cairn.server.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.LeaseLeasesRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import io.cairn.server.testing.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test: the same seeded random KV requests go to a real etcd 3.4 process and to a
 * one-member Cairn cluster, and every answer must be the same, field by field, revision included
 * (only the header's cluster_id, member_id and raft_term are left out: they identify the cluster).
 * Errors must have the same gRPC code and exact message.
 *
 * <p>Each seed starts both servers fresh, so a seed's run is self-contained; halfway through,
 * Cairn is stopped and restarted on its data. A failure names the seed, the first differing
 * request, both answers and the requests before it; replay one seed with
 * {@code -Dcairn.diff.seed=N}, sweep more with {@code -Dcairn.diff.seeds=N} (seeds 1..N), and
 * change the length with {@code -Dcairn.diff.ops=N}.
 *
 * <p>etcd 3.4 against 3.5 (what Cairn claims): we know of no field of these KV and lease answers
 * that 3.5 fills differently from 3.4, so nothing is excused here. The 3.4/3.5 differences we do
 * know are elsewhere and handled where they show: Maintenance.Status reports a 3.5 version on
 * purpose ({@link EtcdctlEndToEndTest}), and etcdctl 3.4 lacks {@code get --count-only}. Left out
 * on purpose: lease expiry (time, not data) and one txn shape etcd panics on (see
 * {@link KvRequestGenerator#txn}).
 */
class DifferentialKvTest {
  private static final long[] DEFAULT_SEEDS = {1, 2, 3, 4};
  private static final int OPS = Integer.getInteger("cairn.diff.ops", 400);
  /** How many requests before the differing one a failure report shows. */
  private static final int HISTORY_SHOWN = 12;

  @TempDir Path dir;

  /** {@code -Dcairn.diff.seed=N} replays one seed; {@code -Dcairn.diff.seeds=N} sweeps seeds 1..N. */
  static LongStream seeds() {
    String replay = System.getProperty("cairn.diff.seed");
    if (replay != null) {
      return LongStream.of(Long.parseLong(replay));
    }
    String sweep = System.getProperty("cairn.diff.seeds");
    return sweep != null ? LongStream.rangeClosed(1, Long.parseLong(sweep)) : LongStream.of(DEFAULT_SEEDS);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void cairnAnswersLikeEtcd(long seed) {
    try (ServerProcess etcd = ServerProcess.etcd(dir.resolve("etcd")).start(Duration.ofSeconds(30));
        EmbeddedCluster cairn = EmbeddedCluster.builder(1).dataDir(dir.resolve("cairn")).start()) {
      cairn.awaitLeader(Duration.ofSeconds(10));
      try (EtcdClient etcdClient = new EtcdClient(etcd.endpoint())) {
        EtcdClient cairnClient = new EtcdClient(cairn.clientEndpoint(0));
        try {
          cairnClient = run(seed, etcdClient, cairnClient, cairn);
        } finally {
          cairnClient.close();
        }
      }
    }
  }

  /**
   * Sends the seed's requests to both; halfway, Cairn restarts (what it answers after must still
   * match: revisions, compaction, leases all come back from disk). Returns the Cairn client in use.
   */
  private static EtcdClient run(long seed, EtcdClient etcd, EtcdClient cairnClient, EmbeddedCluster cluster) {
    EtcdClient cairn = cairnClient;
    KvRequestGenerator generator = new KvRequestGenerator(seed);
    Deque<String> history = new ArrayDeque<>();
    Map<String, Integer> tally = new TreeMap<>();
    for (int i = 0; i < OPS; i++) {
      if (i == OPS / 2) {
        cairn.close();
        cluster.stop(0);
        cluster.start(0);
        cluster.awaitLeader(Duration.ofSeconds(10));
        cairn = new EtcdClient(cluster.clientEndpoint(0));
        history.addLast("-- Cairn restarted here --");
      }
      Message request = generator.next();
      KvOutcome expected = KvOutcome.call(etcd, request);
      KvOutcome actual = KvOutcome.call(cairn, request);
      if (!expected.equals(actual)) {
        fail(report(seed, i, request, expected, actual, history));
      }
      if (!expected.failed()) {
        generator.observe(expected.revision(), request instanceof CompactionRequest,
            request instanceof CompactionRequest c ? c.getRevision() : 0);
      }
      tally.merge(request.getDescriptorForType().getName() + (expected.failed() ? " -> " + expected.message() : ""),
          1, Integer::sum);
      history.addLast("#" + i + " " + describe(request) + " -> " + expected);
      if (history.size() > HISTORY_SHOWN) {
        history.removeFirst();
      }
    }
    System.out.printf("differential seed %d: %d requests, final revision %d, answers %s%n",
        seed, OPS, etcd.get("k").getHeader().getRevision(), tally);
    // The final state, all keys with all fields, must match too (it usually does by then).
    ByteString zero = ByteString.copyFrom(new byte[] {0});
    RangeRequest everything = RangeRequest.newBuilder().setKey(zero).setRangeEnd(zero).build();
    assertEquals(KvOutcome.call(etcd, everything), KvOutcome.call(cairn, everything),
        "final state of seed " + seed);
    // And the same leases live (etcd lists them in map order: compared as sets).
    assertEquals(leaseIds(etcd), leaseIds(cairn), "live leases at the end of seed " + seed);
    return cairn;
  }

  private static Set<Long> leaseIds(EtcdClient client) {
    Set<Long> ids = new TreeSet<>();
    client.leaseWithDeadline().leaseLeases(LeaseLeasesRequest.getDefaultInstance()).getLeasesList()
        .forEach(lease -> ids.add(lease.getID()));
    return ids;
  }

  private static String describe(Message request) {
    return request.getDescriptorForType().getName() + " {" + TextFormat.printer().shortDebugString(request) + "}";
  }

  private static String report(long seed, int index, Message request, KvOutcome etcd, KvOutcome cairn,
      Deque<String> history) {
    StringBuilder s = new StringBuilder();
    s.append("seed ").append(seed).append(": request #").append(index)
        .append(" answered differently (replay: -Dcairn.diff.seed=").append(seed).append(")\n");
    s.append("  request: ").append(describe(request)).append('\n');
    s.append("  etcd:    ").append(etcd).append('\n');
    s.append("  cairn:   ").append(cairn).append('\n');
    s.append("  before it (etcd's answers):\n");
    for (String line : history) {
      s.append("    ").append(line).append('\n');
    }
    return s.toString();
  }
}
