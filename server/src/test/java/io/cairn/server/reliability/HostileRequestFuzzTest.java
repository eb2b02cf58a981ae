package io.cairn.server.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Message;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.HashKVRequest;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.cairn.api.etcdserverpb.MemberListRequest;
import io.cairn.api.etcdserverpb.MemberRemoveRequest;
import io.cairn.api.etcdserverpb.MemberUpdateRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.StatusRequest;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.server.compat.KvRequestGenerator;
import io.cairn.server.embed.EmbeddedCluster;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated requests, sent as raw bytes to any member of a 3-member cluster: KV, lease,
 * maintenance and membership methods, well-formed (with etcd's invalid cases among them), with
 * fields mutated (bit flips, cuts, splices, unknown and ill-typed fields), and txns nested to
 * random depths. No answer may be UNKNOWN or an internal error other than "does not decode", and
 * after every few hundred requests, and after a restart of every member, all members must serve
 * the same data.
 *
 * <p>{@code -Dcairn.fuzz.seed=N} and {@code -Dcairn.fuzz.requests=N} replay or lengthen a run; a
 * failure names the seed and the request number.
 */
class HostileRequestFuzzTest {
  private static final long SEED = Long.getLong("cairn.fuzz.seed", 20261202L);
  private static final int REQUESTS = Integer.getInteger("cairn.fuzz.requests", 1500);
  private static final int CHECK_EVERY = 500;

  @TempDir Path dir;

  private record Request(String method, byte[] bytes, String what) {}

  private static final Map<Class<?>, String> METHODS = Map.ofEntries(
      Map.entry(PutRequest.class, "etcdserverpb.KV/Put"),
      Map.entry(RangeRequest.class, "etcdserverpb.KV/Range"),
      Map.entry(DeleteRangeRequest.class, "etcdserverpb.KV/DeleteRange"),
      Map.entry(TxnRequest.class, "etcdserverpb.KV/Txn"),
      Map.entry(CompactionRequest.class, "etcdserverpb.KV/Compact"),
      Map.entry(LeaseGrantRequest.class, "etcdserverpb.Lease/LeaseGrant"),
      Map.entry(LeaseRevokeRequest.class, "etcdserverpb.Lease/LeaseRevoke"),
      Map.entry(LeaseTimeToLiveRequest.class, "etcdserverpb.Lease/LeaseTimeToLive"),
      Map.entry(StatusRequest.class, "etcdserverpb.Maintenance/Status"),
      Map.entry(HashKVRequest.class, "etcdserverpb.Maintenance/HashKV"),
      Map.entry(MemberListRequest.class, "etcdserverpb.Cluster/MemberList"),
      Map.entry(MemberRemoveRequest.class, "etcdserverpb.Cluster/MemberRemove"),
      Map.entry(MemberUpdateRequest.class, "etcdserverpb.Cluster/MemberUpdate"));

  private static String methodOf(Message m) {
    return METHODS.get(m.getClass());
  }

  /** The next request: mostly the KV generator's, some other methods, some deep txns; then maybe mutated. */
  private static Request next(SplittableRandom random, KvRequestGenerator kv, RequestMutator mutator) {
    int kind = random.nextInt(100);
    String method;
    byte[] bytes;
    if (kind < 75) {
      Message m = kv.next();
      method = methodOf(m);
      bytes = m.toByteArray();
    } else if (kind < 85) {
      int depth = 1 + random.nextInt(300);
      method = "etcdserverpb.KV/Txn";
      bytes = DeepTxns.chain(depth, "deep/" + random.nextInt(20));
    } else {
      Message m = switch (random.nextInt(6)) {
        case 0 -> LeaseTimeToLiveRequest.newBuilder().setID(random.nextLong()).setKeys(random.nextBoolean()).build();
        case 1 -> StatusRequest.getDefaultInstance();
        case 2 -> HashKVRequest.newBuilder().setRevision(random.nextLong(-5, 50)).build();
        case 3 -> MemberListRequest.newBuilder().setLinearizable(random.nextBoolean()).build();
        case 4 -> MemberRemoveRequest.newBuilder().setID(random.nextLong()).build();
        default -> MemberUpdateRequest.newBuilder().setID(random.nextLong()).addPeerURLs("http://127.0.0.1:1").build();
      };
      method = methodOf(m);
      bytes = m.toByteArray();
    }
    boolean mutate = random.nextInt(100) < 60;
    return new Request(method, mutate ? mutator.mutate(bytes) : bytes, mutate ? "mutated" : "well-formed");
  }

  @Test
  void noRequestStopsAMemberOrPartsTheirData() {
    SplittableRandom random = new SplittableRandom(SEED);
    KvRequestGenerator kv = new KvRequestGenerator(SEED);
    RequestMutator mutator = new RequestMutator(random.split());
    Map<String, Integer> outcomes = new TreeMap<>();
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).start()) {
      cluster.awaitLeader(Duration.ofSeconds(10));
      List<RawCalls> clients = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          clients.add(new RawCalls(cluster.clientEndpoint(i)));
        }
        for (int n = 1; n <= REQUESTS; n++) {
          Request request = next(random, kv, mutator);
          RawCalls.Answer answer = clients.get(random.nextInt(3)).call(request.method(), request.bytes());
          outcomes.merge(request.method().substring(request.method().indexOf('.') + 1) + " " + answer.code(), 1,
              Integer::sum);
          boolean undecodable = answer.code() == Status.Code.INTERNAL
              && answer.message().startsWith("grpc: error unmarshalling request: ");
          if (answer.code() == Status.Code.UNKNOWN || (answer.code() == Status.Code.INTERNAL && !undecodable)) {
            fail("seed " + SEED + ", request " + n + " (" + request.what() + " " + request.method() + "): " + answer);
          }
          if (n % CHECK_EVERY == 0) {
            ConvergedMembers.assertAllServeTheSameData(cluster);
          }
        }
      } finally {
        clients.forEach(RawCalls::close);
      }
      System.out.println("fuzz seed " + SEED + ", " + REQUESTS + " requests, outcomes: " + outcomes);
      assertTrue(outcomes.keySet().stream().anyMatch(k -> k.endsWith(" OK")), "some requests must succeed");
      assertTrue(outcomes.keySet().stream().anyMatch(k -> k.endsWith(" INTERNAL")), "some must not decode");
      ConvergedMembers.assertAllServeTheSameData(cluster);
      ConvergedMembers.restartAll(cluster);
      ConvergedMembers.assertAllServeTheSameData(cluster);
    }
  }
}
