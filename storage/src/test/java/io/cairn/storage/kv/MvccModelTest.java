package io.cairn.storage.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.EtcdError;
import io.cairn.api.EtcdException;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.storage.mvcc.HashKv;
import io.cairn.storage.mvcc.MvccOptions;
import io.cairn.storage.mvcc.MvccStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeded randomized model test: random request sequences go to the RocksDB store
 * (through {@link KvApplier}) and to {@link EtcdModel}; every response, header revision included,
 * and every error must be the same. Between requests the store is also compacted physically,
 * reopened, and fed already-applied entries again, none of which may change any answer.
 *
 * <p>Runs {@value #SEEDS} seeds × {@value #OPS} requests; {@code -Dcairn.mvcc.seed=N} replays
 * one seed. A failure names its seed and step.
 */
class MvccModelTest {
  private static final int SEEDS = 200;
  private static final int OPS = 300;
  private static final int MAX_TXN_OPS = 3;

  @TempDir
  Path tempDir;

  /** The store under test; replaced when the test reopens it. */
  private MvccStore store;

  @Test
  void storeAnswersLikeTheModel() throws Exception {
    String only = System.getProperty("cairn.mvcc.seed");
    if (only != null) {
      runSeed(Long.parseLong(only));
      return;
    }
    for (long seed = 1; seed <= SEEDS; seed++) {
      runSeed(seed);
    }
  }

  /**
   * A fresh directory for one seed. RAM-backed {@code /dev/shm} when the machine has it: the test
   * reopens stores often and a real disk's syncs would dominate its run time.
   */
  private Path seedDirectory(long seed) throws java.io.IOException {
    Path shm = Path.of("/dev/shm");
    Path parent = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : tempDir;
    return Files.createTempDirectory(parent, "cairn-mvcc-seed-" + seed + "-");
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  private void runSeed(long seed) throws Exception {
    Path dir = seedDirectory(seed);
    MvccOptions options = MvccOptions.defaults().withBlockCacheBytes(1 << 20).withWriteBufferBytes(1 << 20);
    SplittableRandom random = new SplittableRandom(seed);
    RandomRequests requests = new RandomRequests(random);
    EtcdModel model = new EtcdModel(lease -> lease != RandomRequests.UNKNOWN_LEASE, MAX_TXN_OPS);
    store = MvccStore.open(dir, options);
    int step = 0;
    try {
      long index = 0;
      for (step = 0; step < OPS; step++) {
        KvApplier applier = new KvApplier(store, lease -> lease != RandomRequests.UNKNOWN_LEASE, MAX_TXN_OPS);
        long term = 1 + index / 50;
        int kind = random.nextInt(100);
        if (kind < 25) {
          var r = requests.put();
          long i = ++index;
          same(r, () -> model.put(r), () -> applier.put(i, term, r).response());
        } else if (kind < 37) {
          var r = requests.delete();
          long i = ++index;
          same(r, () -> model.deleteRange(r), () -> applier.deleteRange(i, term, r).response());
        } else if (kind < 60) {
          RangeRequest r = requests.range(model.revision, model.compacted);
          same(r, () -> model.range(r), () -> store.range(r));
        } else if (kind < 82) {
          TxnRequest r = requests.txn(model.revision, model.compacted, 0);
          if (KvApplier.isReadOnly(r) && random.nextBoolean()) {
            same(r, () -> model.txn(r), () -> applier.readOnlyTxn(r));
          } else {
            long i = ++index;
            same(r, () -> model.txn(r), () -> applier.txn(i, term, r).response());
          }
        } else if (kind < 88) {
          long low = Math.max(model.compacted - 1, 0);
          var r = CompactionRequest.newBuilder()
              .setRevision(low + random.nextLong(Math.max(1, model.revision + 2 - low))).build();
          long i = ++index;
          same(r, () -> model.compact(r), () -> applier.compact(i, term, r).response());
        } else if (kind < 93) {
          HashKv before = store.hashKv(0);
          store.compactStep(1 + random.nextInt(6));
          assertEquals(before, store.hashKv(0), "physical compaction changed the hash");
        } else if (kind < 95) {
          store.close();
          store = MvccStore.open(dir, options);
          assertEquals(index, store.appliedIndex(), "applied index after reopen");
        } else if (index > 0) {
          // A replayed entry (index already applied) is skipped and changes nothing.
          long revision = store.currentRevision();
          assertTrue(applier.put(1 + random.nextLong(index), term, requests.put()).alreadyApplied());
          assertEquals(revision, store.currentRevision());
        }
        assertEquals(model.revision, store.currentRevision(), "current revision");
        assertEquals(model.compacted, store.compactedRevision(), "compacted revision");
      }
      while (store.compactStep(1 + random.nextInt(8))) {
        // drain the pending physical compaction
      }
      assertEquals(model.eventsAfterCompaction(),
          store.events(Math.max(model.compacted + 1, 1), Long.MAX_VALUE, Integer.MAX_VALUE), "events");
      for (long rev = Math.max(model.compacted, 1); rev <= model.revision; rev++) {
        RangeRequest at = ALL.toBuilder().setRevision(rev).build();
        same(at, () -> model.range(at), () -> store.range(at));
      }
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed " + seed + " failed at step " + step
          + " (replay with -Dcairn.mvcc.seed=" + seed + "): " + e.getMessage()
          + "\nmodel now:\n" + describe(() -> model.range(ALL)) + "\nstore now:\n" + describe(() -> store.range(ALL)), e);
    } finally {
      store.close();
      deleteRecursively(dir);
    }
  }

  private static final RangeRequest ALL = RangeRequest.newBuilder()
      .setKey(RandomRequests.bytes("\0")).setRangeEnd(RandomRequests.bytes("\0")).build();

  private static String describe(Supplier<?> read) {
    try {
      return String.valueOf(read.get());
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  /** Both sides give the same response, or both fail with the same etcd error. */
  private static <T> void same(Object request, Supplier<T> expected, Supplier<T> actual) {
    EtcdError expectedError = null;
    T expectedResponse = null;
    try {
      expectedResponse = expected.get();
    } catch (EtcdException e) {
      expectedError = e.error();
    }
    EtcdError actualError = null;
    T actualResponse = null;
    try {
      actualResponse = actual.get();
    } catch (EtcdException e) {
      actualError = e.error();
    }
    assertEquals(expectedError, actualError, () -> "error for request\n" + request);
    assertEquals(expectedResponse, actualResponse, () -> "response to request\n" + request);
  }
}
