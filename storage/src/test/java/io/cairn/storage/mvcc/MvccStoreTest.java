package io.cairn.storage.mvcc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.api.EtcdError;
import io.cairn.api.EtcdException;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.api.mvccpb.KeyValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvccStoreTest {
  private static final MvccOptions OPTIONS =
      MvccOptions.defaults().withBlockCacheBytes(1 << 20).withWriteBufferBytes(1 << 20);

  @TempDir
  Path dir;
  private MvccStore store;
  private long index;

  @BeforeEach
  void open() {
    store = MvccStore.open(dir.resolve("db"), OPTIONS);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static ByteString bs(String s) {
    return ByteString.copyFrom(s, StandardCharsets.ISO_8859_1);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private KeyValue put(String key, String value) {
    try (WriteTxn txn = store.beginWrite()) {
      KeyValue kv = txn.put(b(key), bs(value), 0);
      txn.commit(++index, 1);
      return kv;
    }
  }

  private int delete(String key, String end) {
    try (WriteTxn txn = store.beginWrite()) {
      int n = txn.deleteRange(KeyRange.of(b(key), b(end))).size();
      txn.commit(++index, 1);
      return n;
    }
  }

  private RangeResponse range(String key, String end, long revision) {
    return store.range(RangeRequest.newBuilder().setKey(bs(key)).setRangeEnd(bs(end)).setRevision(revision).build());
  }

  private static List<String> keys(RangeResponse r) {
    return r.getKvsList().stream().map(kv -> kv.getKey().toString(StandardCharsets.ISO_8859_1)).toList();
  }

  @Test
  void emptyStoreIsAtRevisionOne() {
    assertEquals(1, store.currentRevision());
    assertEquals(-1, store.compactedRevision());
    assertEquals(0, store.appliedIndex());
    RangeResponse r = range("a", "\0", 0);
    assertEquals(1, r.getHeader().getRevision());
    assertEquals(0, r.getCount());
  }

  @Test
  void versionsFollowEtcdsGenerations() {
    KeyValue first = put("k", "1");
    assertEquals(List.of(2L, 2L, 1L), List.of(first.getCreateRevision(), first.getModRevision(), first.getVersion()));
    KeyValue second = put("k", "2");
    assertEquals(List.of(2L, 3L, 2L), List.of(second.getCreateRevision(), second.getModRevision(), second.getVersion()));
    assertEquals(1, delete("k", ""));
    KeyValue reborn = put("k", "3");
    assertEquals(List.of(5L, 5L, 1L), List.of(reborn.getCreateRevision(), reborn.getModRevision(), reborn.getVersion()));
    // History stays readable at every revision.
    assertEquals(bs("1"), range("k", "", 2).getKvs(0).getValue());
    assertEquals(bs("2"), range("k", "", 3).getKvs(0).getValue());
    assertEquals(0, range("k", "", 4).getCount());
    assertEquals(bs("3"), range("k", "", 5).getKvs(0).getValue());
    assertEquals(5, range("k", "", 3).getHeader().getRevision(), "header reports the current revision");
  }

  @Test
  void deleteOfNothingDoesNotBumpTheRevision() {
    put("a", "1");
    assertEquals(0, delete("zzz", ""));
    assertEquals(2, store.currentRevision());
    assertEquals(2, store.appliedIndex(), "the entry is still recorded as applied");
  }

  @Test
  void rangeEndConventions() {
    for (String k : List.of("a", "a\0", "ab", "b", "\u00ff")) {
      put(k, "v");
    }
    assertEquals(List.of("a"), keys(range("a", "", 0)));
    assertEquals(List.of("a", "a\0", "ab"), keys(range("a", "b", 0)), "[a, b)");
    assertEquals(List.of("a", "a\0", "ab", "b", "\u00ff"), keys(range("a", "\0", 0)), "\\0 end: from key on");
    assertEquals(List.of("a", "a\0", "ab", "b", "\u00ff"), keys(range("\0", "\0", 0)), "all keys");
    assertEquals(List.of("ab", "b", "\u00ff"), keys(range("a\u0001", "\0", 0)));
    assertEquals(List.of(), keys(range("b", "a", 0)), "end before key is empty");
    assertEquals(List.of("a\0"), keys(range("a\0", "", 0)), "zero byte inside a key");
  }

  @Test
  void readsAtFutureOrCompactedRevisionsFail() {
    put("a", "1");
    put("a", "2");
    put("a", "3");
    assertEquals(EtcdError.FUTURE_REVISION, assertThrows(EtcdException.class, () -> range("a", "", 5)).error());
    store.compact(++index, 1, 3);
    assertEquals(EtcdError.COMPACTED, assertThrows(EtcdException.class, () -> range("a", "", 2)).error());
    assertEquals(bs("2"), range("a", "", 3).getKvs(0).getValue(), "the compaction revision itself stays readable");
    assertEquals(EtcdError.COMPACTED, assertThrows(EtcdException.class, () -> store.compact(++index, 1, 3)).error());
    assertEquals(EtcdError.FUTURE_REVISION, assertThrows(EtcdException.class, () -> store.compact(++index, 1, 9)).error());
  }

  @Test
  void physicalCompactionKeepsNewestVersionAndDropsTombstones() {
    put("a", "1"); // 2
    put("a", "2"); // 3
    put("b", "1"); // 4
    delete("b", ""); // 5
    put("c", "1"); // 6
    put("a", "3"); // 7
    HashKv hashBefore = store.hashKv(0);
    assertEquals(6, store.storedVersions());
    store.compact(++index, 1, 6);
    HashKv hashScheduled = store.hashKv(0);
    while (store.compactStep(1)) {
      assertEquals(hashScheduled, store.hashKv(0), "hash must not change while compacting physically");
    }
    // Survivors: a@3 (newest <= 6), c@6, a@7. Gone: a@2, b@4, b's tombstone @5.
    assertEquals(3, store.storedVersions());
    assertEquals(hashScheduled, store.hashKv(0));
    assertNotEquals(hashBefore.compactRevision(), hashScheduled.compactRevision());
    assertEquals(List.of("a", "c"), keys(range("\0", "\0", 6)));
    assertEquals(bs("2"), range("a", "", 6).getKvs(0).getValue());
    assertEquals(bs("3"), range("a", "", 7).getKvs(0).getValue());
    assertFalse(store.compactionPending());
  }

  @Test
  void scheduledCompactionResumesAfterReopen() {
    for (int i = 0; i < 20; i++) {
      put("k" + (i % 4), "v" + i);
    }
    store.compact(++index, 1, 18);
    assertTrue(store.compactStep(3));
    store.close();
    store = MvccStore.open(dir.resolve("db"), OPTIONS);
    assertEquals(18, store.compactedRevision());
    assertTrue(store.compactionPending(), "unfinished compaction is remembered");
    while (store.compactStep(2)) {
      // keep going
    }
    // k0..k3: one survivor each at or below 18, plus the changes at 19, 20 and 21.
    assertEquals(4 + 3, store.storedVersions());
    assertEquals(List.of("k0", "k1", "k2", "k3"), keys(range("k", "l", 18)));
  }

  @Test
  void appliedIndexAndRevisionsSurviveReopen() {
    put("a", "1");
    try (WriteTxn txn = store.beginWrite()) {
      txn.put(b("b"), bs("2"), 7);
      txn.commit(10, 3);
    }
    store.close();
    store = MvccStore.open(dir.resolve("db"), OPTIONS);
    assertEquals(10, store.appliedIndex());
    assertEquals(3, store.appliedTerm());
    assertEquals(3, store.currentRevision());
    assertEquals(7, range("b", "", 0).getKvs(0).getLease());
    assertFalse(store.markApplied(10, 3), "a replayed index is a no-op");
    try (WriteTxn txn = store.beginWrite()) {
      txn.put(b("c"), bs("3"), 0);
      assertThrows(IllegalStateException.class, () -> txn.commit(9, 3), "an index must not be applied twice");
    }
    assertEquals(3, store.currentRevision());
  }

  @Test
  void unflushedWritesDisappearTogetherWithTheirAppliedIndex() throws Exception {
    put("a", "1");
    put("b", "1");
    store.flush();
    put("a", "2");
    put("c", "1");
    // Copy the files as a crash would leave them: RocksDB's WAL is off, so the memtables are lost.
    Path crashed = dir.resolve("crashed");
    Files.createDirectories(crashed);
    try (Stream<Path> files = Files.list(dir.resolve("db"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!f.getFileName().toString().equals("LOCK")) {
          Files.copy(f, crashed.resolve(f.getFileName()));
        }
      }
    }
    try (MvccStore recovered = MvccStore.open(crashed, OPTIONS)) {
      assertEquals(2, recovered.appliedIndex(), "applied index matches the data that survived");
      assertEquals(3, recovered.currentRevision());
      RangeResponse all = recovered.range(RangeRequest.newBuilder().setKey(bs("\0")).setRangeEnd(bs("\0")).build());
      assertEquals(List.of("a", "b"), keys(all));
      assertEquals(bs("1"), all.getKvs(0).getValue());
    }
  }

  @Test
  void checkpointOpensAsACopyAtThatPoint() {
    put("a", "1");
    put("b", "2");
    Path checkpoint = dir.resolve("checkpoint");
    store.checkpoint(checkpoint);
    put("a", "3");
    try (MvccStore copy = MvccStore.openFromCheckpoint(checkpoint, dir.resolve("restored"), OPTIONS)) {
      assertEquals(2, copy.appliedIndex());
      assertEquals(3, copy.currentRevision());
      assertEquals(bs("1"), copy.range(RangeRequest.newBuilder().setKey(bs("a")).build()).getKvs(0).getValue());
    }
  }

  @Test
  void eventsCarryRevisionOrderAndPreviousValues() {
    put("a", "1"); // 2
    try (WriteTxn txn = store.beginWrite()) { // 3: two changes
      txn.put(b("b"), bs("x"), 0);
      txn.put(b("a"), bs("2"), 0);
      txn.commit(++index, 1);
    }
    delete("a", ""); // 4
    List<Event> events = store.events(2, 10, 100);
    assertEquals(4, events.size());
    assertEquals(Event.EventType.PUT, events.get(0).getType());
    assertFalse(events.get(0).hasPrevKv());
    assertEquals(bs("b"), events.get(1).getKv().getKey());
    assertEquals(bs("1"), events.get(2).getPrevKv().getValue());
    Event deletion = events.get(3);
    assertEquals(Event.EventType.DELETE, deletion.getType());
    assertEquals(KeyValue.newBuilder().setKey(bs("a")).setModRevision(4).build(), deletion.getKv());
    assertEquals(bs("2"), deletion.getPrevKv().getValue());
    // maxEvents never splits one revision.
    assertEquals(3, store.events(2, 10, 2).size());
  }

  @Test
  void metaRecordsOfOtherSubsystemsCommitWithTheEntry() {
    MetaKey leases = MetaKey.of("lease", "next-id");
    try (WriteTxn txn = store.beginWrite()) {
      txn.putMeta(leases, b("42"));
      txn.commit(++index, 1);
    }
    assertArrayEquals(b("42"), store.meta(leases));
    assertNull(store.meta(MetaKey.of("lease", "other")));
    assertEquals(1, store.currentRevision(), "meta alone does not bump the revision");
    assertThrows(IllegalArgumentException.class, () -> MetaKey.of("mvcc", "applied"));
  }

  @Test
  void readersNeverSeeHalfOfAWrite() throws Exception {
    int writes = 300;
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    Thread reader = new Thread(() -> {
      while (!done.get()) {
        RangeResponse r = range("k", "l", 0);
        long values = r.getKvsList().stream().map(KeyValue::getValue).distinct().count();
        if (values > 1 || (r.getCount() != 0 && r.getCount() != 5)) {
          throw new AssertionError("torn read at revision " + r.getHeader().getRevision() + ": " + r);
        }
        reads.incrementAndGet();
      }
    });
    java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
    reader.setUncaughtExceptionHandler((t, e) -> failure.set(e));
    reader.start();
    for (int i = 0; i < writes; i++) {
      try (WriteTxn txn = store.beginWrite()) {
        for (int k = 0; k < 5; k++) {
          txn.put(b("k" + k), bs("v" + i), 0);
        }
        txn.commit(++index, 1);
      }
    }
    done.set(true);
    reader.join();
    assertNull(failure.get());
    assertTrue(reads.get() > 0);
  }

  @Test
  void closedStoreRefusesInsteadOfCrashing() {
    put("a", "1");
    store.close();
    assertThrows(IllegalStateException.class, () -> range("a", "", 0));
    assertThrows(IllegalStateException.class, () -> store.size());
    store.close(); // idempotent
  }

  @Test
  void sizeReportsDataOnDisk() {
    for (int i = 0; i < 100; i++) {
      put("key" + i, "value" + i);
    }
    store.flush();
    StorageSize size = store.size();
    assertTrue(size.dbSizeBytes() > 0);
    assertTrue(size.dbSizeInUseBytes() > 0);
  }
}
