package io.cairn.server.lease;

import io.cairn.server.faults.FaultHooks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.api.EtcdError;
import io.cairn.api.EtcdException;
import io.cairn.api.etcdserverpb.LeaseGrantRequest;
import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.mvccpb.Event;
import io.cairn.storage.kv.KvApplier;
import io.cairn.storage.mvcc.MvccOptions;
import io.cairn.storage.mvcc.MvccStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lessor on a real store, with a clock the test moves. */
class LessorTest {
  @TempDir Path dir;
  MvccStore store;
  Lessor lessor;
  KvApplier kv;
  final AtomicLong clock = new AtomicLong(1_000_000_000L);
  long index;

  @BeforeEach
  void open() {
    openStore();
  }

  private void openStore() {
    store = MvccStore.open(dir.resolve("db"), MvccOptions.defaults());
    lessor = new Lessor(store, 2, clock::get, FaultHooks.NONE);
    kv = new KvApplier(store, lessor, 128);
    index = store.appliedIndex();
  }

  @AfterEach
  void close() {
    store.close();
  }

  private long grant(long id, long ttl) {
    return lessor.applyGrant(++index, 1, LeaseGrantRequest.newBuilder().setID(id).setTTL(ttl).build()).getTTL();
  }

  private void put(String key, long lease) {
    kv.put(++index, 1, PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setLease(lease).build());
    long rev = store.currentRevision();
    List<Event> events = store.events(rev, rev, Integer.MAX_VALUE);
    lessor.onRevision(events);
  }

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void minimumTtlFollowsEtcdRule() {
    assertEquals(2, Lessor.minTtlSeconds(Duration.ofMillis(1000)), "etcd default: 1.5 s rounds up to 2");
    assertEquals(1, Lessor.minTtlSeconds(Duration.ofMillis(100)));
    assertEquals(3, Lessor.minTtlSeconds(Duration.ofMillis(2000)));
    assertEquals(2, grant(1, 1), "a TTL below the minimum is raised");
    assertEquals(10, grant(2, 10));
  }

  @Test
  void grantErrorsRecordOnlyTheIndex() {
    grant(5, 10);
    long rev = store.currentRevision();
    EtcdException exists = assertThrows(EtcdException.class, () -> grant(5, 10));
    assertEquals(EtcdError.LEASE_EXISTS, exists.error());
    EtcdException tooLarge = assertThrows(EtcdException.class, () -> grant(6, Lessor.MAX_TTL_SECONDS + 1));
    assertEquals(EtcdError.LEASE_TTL_TOO_LARGE, tooLarge.error());
    assertEquals(index, store.appliedIndex());
    assertEquals(rev, store.currentRevision(), "grants never change the revision");
    assertFalse(lessor.exists(6));
  }

  @Test
  void putAttachesOverwriteAndDeleteDetachAndRevokeDeletesInOneRevision() {
    grant(7, 10);
    grant(8, 10);
    put("a", 7);
    put("b", 7);
    put("c", 7);
    put("b", 8); // moves b to lease 8
    put("c", 0); // detaches c
    assertEquals(List.of(b("a")), lessor.keysOf(7));
    EtcdException missing = assertThrows(EtcdException.class, () -> put("x", 99));
    assertEquals(EtcdError.LEASE_NOT_FOUND, missing.error());
    assertEquals("etcdserver: requested lease not found", missing.getMessage());

    put("d", 7);
    long before = store.currentRevision();
    lessor.applyRevoke(++index, 1, LeaseRevokeRequest.newBuilder().setID(7).build());
    assertEquals(before + 1, store.currentRevision(), "all attached keys deleted at one revision");
    List<Event> deleted = store.events(before + 1, before + 1, 100);
    assertEquals(List.of(b("a"), b("d")), deleted.stream().map(e -> e.getKv().getKey()).toList());
    assertTrue(deleted.stream().allMatch(e -> e.getType() == Event.EventType.DELETE));
    assertFalse(lessor.exists(7));
    EtcdException again = assertThrows(EtcdException.class,
        () -> lessor.applyRevoke(++index, 1, LeaseRevokeRequest.newBuilder().setID(7).build()));
    assertEquals(EtcdError.LEASE_NOT_FOUND, again.error());
    assertEquals(1, store.range(io.cairn.api.etcdserverpb.RangeRequest.newBuilder().setKey(b("c")).build()).getCount(),
        "a key detached before the revoke survives it");
  }

  @Test
  void leasesAndAttachmentsSurviveReopen() {
    grant(11, 30);
    grant(12, 40);
    put("x", 11);
    put("y", 12);
    put("z", 12);
    lessor.applyRevoke(++index, 1, LeaseRevokeRequest.newBuilder().setID(11).build());
    store.close();
    openStore();
    assertFalse(lessor.exists(11));
    assertTrue(lessor.exists(12));
    assertEquals(List.of(b("y"), b("z")), lessor.keysOf(12));
    Lessor.TimeToLive ttl = lessor.timeToLive(12, true);
    assertEquals(40, ttl.grantedSeconds());
  }

  @Test
  void onlyThePrimaryExpiresAndPromotionRestartsClocks() {
    grant(21, 5);
    clock.addAndGet(Duration.ofSeconds(100).toNanos());
    assertTrue(lessor.takeExpired(10, 1).isEmpty(), "a follower never expires leases");
    assertEquals(5, lessor.timeToLive(21, false).remainingSeconds(), "a follower reports the granted TTL");
    assertThrows(EtcdException.class, () -> lessor.renew(21));

    lessor.promote(Duration.ofSeconds(1).toNanos());
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertTrue(lessor.takeExpired(10, 1).isEmpty(), "TTL plus the promotion extension has not passed");
    assertEquals(5, lessor.renew(21), "keep-alive renews to a full TTL");
    clock.addAndGet(Duration.ofMillis(4_999).toNanos());
    assertTrue(lessor.takeExpired(10, 1).isEmpty(), "not before the TTL");
    clock.addAndGet(Duration.ofMillis(2).toNanos());
    assertEquals(List.of(21L), lessor.takeExpired(10, Duration.ofSeconds(3).toNanos()));
    assertTrue(lessor.takeExpired(10, Duration.ofSeconds(3).toNanos()).isEmpty(), "one revoke in flight at a time");
    assertEquals(0, lessor.renew(21), "an expired lease is not renewed: TTL 0 to the client");
    lessor.demote();
    assertNull(lessor.timeToLive(99, false));
  }
}
