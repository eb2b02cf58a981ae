package io.cairn.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchGrpc;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.server.CairnServer;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import io.cairn.storage.mvcc.HashKv;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4's "follower down while the log is compacted, then caught up by snapshot": with a small
 * {@code --snapshot-count} the leader drops the log a stopped follower would need, so on restart
 * the follower can only catch up by receiving and installing a checkpoint of the leader's store.
 */
class SnapshotCatchUpTest {
  private static final Duration ELECTION = Duration.ofSeconds(10);
  private static final Duration CATCH_UP = Duration.ofSeconds(60);
  private static final int WRITES = 1_000;
  private static final int KEYS = 250;

  @TempDir Path dir;

  @Test
  void followerDownWhileTheLogIsCompactedCatchesUpBySnapshot() {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(3).dataDir(dir).snapshotCount(100).start()) {
      int leader = cluster.awaitLeader(ELECTION);
      int follower = (leader + 1) % 3;
      try (EtcdClient c = new EtcdClient(cluster.clientEndpoint(leader))) {
        c.put("before-stop", "0");
        awaitCondition(() -> cluster.member(follower).store().currentRevision()
            == cluster.member(leader).store().currentRevision(), "follower replicated the first write");
        cluster.stop(follower);
        for (int i = 0; i < WRITES; i++) {
          c.put(key(i % KEYS), "value-" + i);
        }
      }

      // The follower comes back cut off, so that a watch opened on it now is synced at its stale
      // revision when the snapshot replaces its store.
      cluster.isolate(follower);
      cluster.start(follower);
      CairnServer caughtUp = cluster.member(follower);
      long staleRevision = caughtUp.store().currentRevision();
      ManagedChannel channel = NettyChannelBuilder.forTarget(cluster.clientEndpoint(follower)).usePlaintext().build();
      EventRecorder watch = new EventRecorder(channel, "key-", "key.");
      awaitCondition(watch::created, "the watch on the restarted follower was created");
      cluster.heal();
      awaitCaughtUp(cluster, caughtUp);
      // The installer counts an install once its cleanup is done, just after the applied index moved.
      awaitCondition(() -> caughtUp.member().installedSnapshots() > 0, "the follower finished installing a snapshot");
      assertEquals(1, caughtUp.member().installedSnapshots(),
          "the follower caught up by installing the leader's snapshot");
      assertSameContent(cluster, follower);

      // The watch missed nothing: every write made while the follower was down, in order.
      awaitCondition(() -> watch.events().size() >= WRITES, "the follower's watch received the missed writes");
      List<Event> events = watch.events();
      assertEquals(WRITES, events.size());
      for (int i = 0; i < WRITES; i++) {
        Event e = events.get(i);
        assertEquals(key(i % KEYS), e.getKv().getKey().toStringUtf8(), "event " + i);
        assertEquals("value-" + i, e.getKv().getValue().toStringUtf8(), "event " + i);
        assertEquals(staleRevision + 1 + i, e.getKv().getModRevision(), "event " + i);
      }
      channel.shutdownNow();

      try (EtcdClient onFollower = new EtcdClient(cluster.clientEndpoint(follower))) {
        assertEquals("0", onFollower.getSerializable("before-stop").getKvs(0).getValue().toStringUtf8());
        for (int k = 0; k < KEYS; k++) {
          int lastWrite = WRITES - KEYS + k; // each key's last write in the loop above
          assertEquals("value-" + lastWrite, onFollower.getSerializable(key(k)).getKvs(0).getValue().toStringUtf8(),
              key(k));
        }
        long count = onFollower.kvWithDeadline().range(RangeRequest.newBuilder()
            .setKey(EtcdClient.bytes("key-")).setRangeEnd(EtcdClient.bytes("key.")).setSerializable(true)
            .setCountOnly(true).build()).getCount();
        assertEquals(KEYS, count);
        // The follower now replicates ordinary appends again.
        onFollower.put("after-catch-up", "1");
      }
      awaitCaughtUp(cluster, cluster.member(follower));

      // The installed state and the log after it survive a restart.
      cluster.stop(follower);
      cluster.start(follower);
      awaitCaughtUp(cluster, cluster.member(follower));
      assertEquals(0, cluster.member(follower).member().installedSnapshots(), "no second snapshot was needed");
      assertSameContent(cluster, follower);
      try (EtcdClient onFollower = new EtcdClient(cluster.clientEndpoint(follower))) {
        assertEquals("1", onFollower.getSerializable("after-catch-up").getKvs(0).getValue().toStringUtf8());
      }
    }
  }

  private static String key(int k) {
    return String.format("key-%04d", k);
  }

  /** Waits until {@code member} has applied as far as the current leader. */
  private static void awaitCaughtUp(EmbeddedCluster cluster, CairnServer member) {
    awaitCondition(() -> {
      CairnServer leader = cluster.member(cluster.awaitLeader(ELECTION));
      return member.member().status().appliedIndex() >= leader.member().status().appliedIndex()
          && member.store().currentRevision() == leader.store().currentRevision();
    }, "member " + member.config().name() + " caught up with the leader");
  }

  private static void assertSameContent(EmbeddedCluster cluster, int follower) {
    CairnServer leader = cluster.member(cluster.awaitLeader(ELECTION));
    CairnServer other = cluster.member(follower);
    long revision = leader.store().currentRevision();
    assertEquals(revision, other.store().currentRevision(), "revision");
    HashKv expected = leader.store().hashKv(revision);
    assertEquals(expected, other.store().hashKv(revision), "HashKV at revision " + revision);
  }

  /** A watch on one member's Watch service that keeps every event it receives. */
  private static final class EventRecorder implements StreamObserver<WatchResponse> {
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private volatile boolean created;

    EventRecorder(ManagedChannel channel, String key, String rangeEnd) {
      StreamObserver<WatchRequest> requests = WatchGrpc.newStub(channel).watch(this);
      requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
          .setKey(EtcdClient.bytes(key)).setRangeEnd(EtcdClient.bytes(rangeEnd))).build());
    }

    boolean created() {
      return created;
    }

    List<Event> events() {
      return List.copyOf(events);
    }

    @Override
    public void onNext(WatchResponse response) {
      created |= response.getCreated();
      events.addAll(response.getEventsList());
    }

    @Override
    public void onError(Throwable t) { }

    @Override
    public void onCompleted() { }
  }

  /** Polls observable state until {@code done} holds, failing after {@link #CATCH_UP}. */
  private static void awaitCondition(BooleanSupplier done, String what) {
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + CATCH_UP + " waiting until " + what);
      }
      try {
        Thread.sleep(10); // polling interval of a wait with a deadline, not a synchronization
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}
