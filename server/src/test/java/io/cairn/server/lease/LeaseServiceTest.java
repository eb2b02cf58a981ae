package io.cairn.server.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseGrantResponse;
import io.cairn.api.etcdserverpb.LeaseGrpc;
import io.cairn.api.etcdserverpb.LeaseKeepAliveRequest;
import io.cairn.api.etcdserverpb.LeaseKeepAliveResponse;
import io.cairn.api.etcdserverpb.LeaseLeasesRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.LeaseStatus;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.cairn.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import io.cairn.server.watch.WatchStreamClient;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lease service on a 3-member cluster, asked through a follower (so forwarding is exercised). */
class LeaseServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  @TempDir static Path dir;
  static EmbeddedCluster cluster;
  static int follower;
  static ManagedChannel channel;
  static LeaseGrpc.LeaseBlockingStub lease;
  static EtcdClient kv;

  @BeforeAll
  static void start() {
    cluster = EmbeddedCluster.builder(3).dataDir(dir).start();
    int leader = cluster.awaitLeader(WAIT);
    follower = (leader + 1) % 3;
    channel = NettyChannelBuilder.forTarget(cluster.clientEndpoint(follower)).usePlaintext().build();
    lease = LeaseGrpc.newBlockingStub(channel);
    kv = new EtcdClient(cluster.clientEndpoint(follower));
  }

  @AfterAll
  static void stop() {
    kv.close();
    channel.shutdownNow();
    cluster.close();
  }

  private static LeaseGrpc.LeaseBlockingStub lease() {
    return lease.withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void grantChoosesIdsRaisesShortTtlsAndRefusesDuplicatesAndHugeTtls() {
    LeaseGrantResponse chosen = lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(0).build());
    assertTrue(chosen.getID() > 0, "server-chosen ids are positive");
    assertEquals(1, chosen.getTTL(), "the embedded cluster's 100 ms election timeout makes the minimum 1 s");
    LeaseGrantResponse other = lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build());
    assertNotEquals(chosen.getID(), other.getID());
    assertEquals(60, other.getTTL());
    lease().leaseGrant(LeaseGrantRequest.newBuilder().setID(4242).setTTL(60).build());
    StatusRuntimeException exists = assertThrows(StatusRuntimeException.class,
        () -> lease().leaseGrant(LeaseGrantRequest.newBuilder().setID(4242).setTTL(60).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, exists.getStatus().getCode());
    assertEquals("etcdserver: lease already exists", exists.getStatus().getDescription());
    StatusRuntimeException tooLarge = assertThrows(StatusRuntimeException.class,
        () -> lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(9_000_000_001L).build()));
    assertEquals(Status.Code.OUT_OF_RANGE, tooLarge.getStatus().getCode());
    assertEquals("etcdserver: too large lease TTL", tooLarge.getStatus().getDescription());
    for (int i = 0; i < 3; i++) {
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(i))) {
        // every member knows every lease once the grant applied there: list through each
        ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientEndpoint(i)).usePlaintext().build();
        try {
          awaitLeaseListed(LeaseGrpc.newBlockingStub(ch), 4242);
        } finally {
          ch.shutdownNow();
        }
      }
    }
  }

  private static void awaitLeaseListed(LeaseGrpc.LeaseBlockingStub stub, long id) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      List<Long> ids = stub.withDeadlineAfter(5, TimeUnit.SECONDS).leaseLeases(LeaseLeasesRequest.getDefaultInstance())
          .getLeasesList().stream().map(LeaseStatus::getID).toList();
      if (ids.contains(id)) {
        return;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("lease " + id + " not listed within " + WAIT);
  }

  @Test
  void putWithUnknownLeaseFailsWithEtcdsError() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> kv.kv.put(PutRequest.newBuilder().setKey(b("nolease")).setLease(123456789).build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertEquals("etcdserver: requested lease not found", e.getStatus().getDescription());
  }

  @Test
  void timeToLiveAndKeepAliveAreAnsweredThroughTheLeader() throws Exception {
    long id = lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(30).build()).getID();
    kv.kv.put(PutRequest.newBuilder().setKey(b("ttl/b")).setLease(id).build());
    kv.kv.put(PutRequest.newBuilder().setKey(b("ttl/a")).setLease(id).build());
    LeaseTimeToLiveResponse ttl = lease().leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build());
    assertEquals(id, ttl.getID());
    assertEquals(30, ttl.getGrantedTTL());
    assertTrue(ttl.getTTL() > 25 && ttl.getTTL() <= 30, "remaining counts down on the leader: " + ttl.getTTL());
    assertEquals(List.of(b("ttl/a"), b("ttl/b")), ttl.getKeysList());
    assertEquals(cluster.member(follower).member().memberId(), ttl.getHeader().getMemberId(), "this member's header");

    LeaseTimeToLiveResponse unknown = lease().leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(999).build());
    assertEquals(-1, unknown.getTTL(), "etcd answers an unknown lease with TTL -1");

    List<LeaseKeepAliveResponse> answers = keepAlive(List.of(id, 999L));
    assertEquals(id, answers.get(0).getID());
    assertEquals(30, answers.get(0).getTTL());
    assertEquals(999, answers.get(1).getID());
    assertEquals(0, answers.get(1).getTTL(), "an unknown lease keeps alive with TTL 0");
  }

  private static List<LeaseKeepAliveResponse> keepAlive(List<Long> ids) throws Exception {
    java.util.List<LeaseKeepAliveResponse> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(channel).leaseKeepAlive(new StreamObserver<>() {
      @Override
      public void onNext(LeaseKeepAliveResponse r) {
        got.add(r);
        if (got.size() == ids.size()) {
          done.complete(null);
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        done.complete(null);
      }
    });
    ids.forEach(id -> requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build()));
    done.get(20, TimeUnit.SECONDS);
    requests.onCompleted();
    return got;
  }

  @Test
  void revokeDeletesEveryAttachedKeyInOneRevisionSeenByWatchers() throws Exception {
    long id = lease().leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();
    for (String k : List.of("r/1", "r/2", "r/3")) {
      kv.kv.put(PutRequest.newBuilder().setKey(b(k)).setLease(id).build());
    }
    try (WatchStreamClient watch = new WatchStreamClient(cluster.clientEndpoint((follower + 1) % 3))) {
      // That member may not have applied the puts yet when the watch starts: watch deletes only.
      watch.create(WatchCreateRequest.newBuilder().setKey(b("r/")).setRangeEnd(b("r0"))
          .addFilters(WatchCreateRequest.FilterType.NOPUT).build());
      assertTrue(watch.next(WAIT).getCreated());
      long rev = lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()).getHeader().getRevision();
      WatchResponse deletes = watch.next(WAIT);
      assertEquals(3, deletes.getEventsCount());
      deletes.getEventsList().forEach(e -> assertEquals(rev, e.getKv().getModRevision()));
    }
    assertEquals(0, kv.kv.range(RangeRequest.newBuilder().setKey(b("r/")).setRangeEnd(b("r0")).build()).getCount());
    StatusRuntimeException again = assertThrows(StatusRuntimeException.class,
        () -> lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()));
    assertEquals("etcdserver: requested lease not found", again.getStatus().getDescription());
  }
}
