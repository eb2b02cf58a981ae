package io.cairn.storage.mvcc;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.mvccpb.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;

/**
 * etcd's multi-version key-value store on RocksDB: every version of every key since the last
 * compaction, readable at any revision, plus the applied raft index written atomically with the
 * data so that replaying the raft log after a crash is idempotent.
 *
 * <p>Why RocksDB without an in-memory key index: memory must stay bounded on small machines
 * whatever the number of keys, so every lookup is a seek in the {@code history} column family
 * (see {@link HistoryKey}); only RocksDB's bounded caches hold data in memory.
 *
 * <p>Threading contract: one apply thread makes every change ({@link #beginWrite},
 * {@link WriteTxn#commit}, {@link #compact}, {@link #compactStep}, {@link #markApplied}); these
 * are also serialized by a lock, so a misbehaving caller cannot interleave them. Reads
 * ({@link #range}, {@link #read}, {@link #events}, {@link #hashKv}) may come from any number of
 * threads: each runs on a RocksDB snapshot and takes the current and compacted revision from
 * that same snapshot, so it never sees half of a write and physical compaction never removes
 * data under it.
 */
public final class MvccStore implements AutoCloseable {
  /** An empty store is at revision 1; the first write makes revision 2 (as in etcd). */
  static final long INITIAL_REVISION = 1;
  /** Size of one write batch (keys plus values) while {@link #replaceContents} copies. */
  static final int REPLACE_BATCH_BYTES = 1 << 20;

  private final RocksDatabase rocks;
  private final Object writeLock = new Object();
  /**
   * Reads hold it shared; {@link #replaceContents} and {@link #close} hold it exclusively, so no
   * read ever sees a store half replaced, and a read racing with close gets an exception instead
   * of crashing the JVM in native code.
   */
  private final ReentrantReadWriteLock contentLock = new ReentrantReadWriteLock();
  /** Set once by {@link #close}; guarded by {@link #contentLock}'s write lock. */
  private boolean closed;
  /** Newest committed revision; written only by the apply thread after the batch is durable-visible. */
  private volatile long currentRevision;
  /** Reads below this fail; -1 until the first compaction. Written with {@link #currentRevision}. */
  private volatile long compactedRevision;
  /** Highest raft index whose effects are in the store. */
  private volatile long appliedIndex;
  private volatile long appliedTerm;
  /** Physical compaction progress; guarded by {@link #writeLock}. */
  private CompactionState compaction;

  private MvccStore(RocksDatabase rocks) {
    this.rocks = rocks;
    loadBookkeeping();
  }

  /** Sets the in-memory revisions, applied point and compaction state from the meta records. */
  private void loadBookkeeping() {
    long[] revisions = decodePair(rocks.get(rocks.meta, MetaKey.REVISIONS.encode()), INITIAL_REVISION, -1);
    long[] applied = decodePair(rocks.get(rocks.meta, MetaKey.APPLIED.encode()), 0, 0);
    this.currentRevision = revisions[0];
    this.compactedRevision = revisions[1];
    this.appliedIndex = applied[0];
    this.appliedTerm = applied[1];
    this.compaction = CompactionState.decode(rocks.get(rocks.meta, MetaKey.COMPACTION.encode()));
  }

  /** Opens (creating if needed) the store in {@code dir}. */
  public static MvccStore open(Path dir, MvccOptions options) {
    return new MvccStore(RocksDatabase.open(dir, options));
  }

  /**
   * Opens a store in {@code dir} (which must not exist or be empty) from a copy of a checkpoint
   * made by {@link #checkpoint}: how a member installs a raft snapshot.
   */
  public static MvccStore openFromCheckpoint(Path checkpoint, Path dir, MvccOptions options) {
    try {
      Files.createDirectories(dir);
      try (Stream<Path> existing = Files.list(dir)) {
        if (existing.findAny().isPresent()) {
          throw new IllegalArgumentException("target directory is not empty: " + dir);
        }
      }
      try (Stream<Path> files = Files.list(checkpoint)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.copy(file, dir.resolve(file.getFileName()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy checkpoint " + checkpoint + " to " + dir, e);
    }
    return open(dir, options);
  }

  public long currentRevision() {
    return currentRevision;
  }

  /** The revision of the last compaction, -1 if the store was never compacted. */
  public long compactedRevision() {
    return compactedRevision;
  }

  public long appliedIndex() {
    return appliedIndex;
  }

  public long appliedTerm() {
    return appliedTerm;
  }

  /** A meta record of another subsystem (see {@link MetaKey}), or null. */
  public byte[] meta(MetaKey key) {
    return whileOpen(() -> rocks.get(rocks.meta, key.encode()));
  }

  /**
   * Every meta record of {@code namespace} (see {@link MetaKey}), by record name, in name order:
   * how a subsystem with one record per item (e.g. leases) reloads its state after a restart.
   */
  public SortedMap<String, byte[]> metaRecords(String namespace) {
    byte[] prefix = MetaKey.of(namespace, "x").namespacePrefix();
    SortedMap<String, byte[]> records = new TreeMap<>();
    try (RocksIterator it = rocks.db.newIterator(rocks.meta)) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (key.length < prefix.length || !Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        records.put(new String(key, prefix.length, key.length - prefix.length, StandardCharsets.UTF_8),
            it.value());
      }
      RocksDatabase.checkIterator(it);
    }
    return records;
  }

  // ---- reads (any thread) ----

  /**
   * Runs {@code reader} against a consistent snapshot of the store. The view is valid only inside
   * {@code reader} and must not escape it.
   */
  public <T> T read(Function<ReadView, T> reader) {
    return whileOpen(() -> readOpen(reader));
  }

  /** Runs {@code action} on the RocksDB instance, which stays open and whole meanwhile. */
  private <T> T whileOpen(Supplier<T> action) {
    contentLock.readLock().lock();
    try {
      ensureOpen();
      return action.get();
    } finally {
      contentLock.readLock().unlock();
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("MVCC store is closed");
    }
  }

  private <T> T readOpen(Function<ReadView, T> reader) {
    Snapshot snapshot = rocks.db.getSnapshot();
    try (ReadOptions options = new ReadOptions().setSnapshot(snapshot)) {
      long[] revisions;
      try {
        revisions = decodePair(rocks.db.get(rocks.meta, options, MetaKey.REVISIONS.encode()), INITIAL_REVISION, -1);
      } catch (RocksDBException e) {
        throw new StorageException("cannot read the store's revisions", e);
      }
      ReadView view = new ReadView(family -> rocks.db.newIterator(family, options), rocks.history,
          revisions[0], revisions[1]);
      return reader.apply(view);
    } finally {
      rocks.db.releaseSnapshot(snapshot);
    }
  }

  /** etcd's Range; the response header carries only the revision. */
  public RangeResponse range(RangeRequest request) {
    return read(view -> RangeExecutor.execute(view, request));
  }

  /**
   * The changes with main revision in {@code [fromRevision, toRevision]} in revision order, each
   * with its previous key-value (the key's live version just before that revision) when there is
   * one. Stops after {@code maxEvents} events but never inside a main revision, so a caller can
   * continue from the last event's mod_revision + 1.
   *
   * @throws io.cairn.api.EtcdException COMPACTED if {@code fromRevision} is below the compaction
   */
  public List<Event> events(long fromRevision, long toRevision, int maxEvents) {
    return read(view -> ChangeLog.events(view, rocks.revisions, fromRevision, toRevision, maxEvents));
  }

  /**
   * etcd's HashKV: a hash of the history up to {@code revision} ({@code <= 0}: current), as it
   * reads after the current compaction.
   *
   * @throws io.cairn.api.EtcdException FUTURE_REVISION or COMPACTED
   */
  public HashKv hashKv(long revision) {
    return read(view -> ChangeLog.hashKv(view, rocks.revisions, revision));
  }

  /**
   * Number of versions physically stored (tombstones included), by a full walk of
   * {@code revisions}: a diagnostic for tests and tools, not for request paths.
   */
  long storedVersions() {
    return read(view -> {
      long count = 0;
      try (RocksIterator changes = view.iterator(rocks.revisions)) {
        for (changes.seekToFirst(); changes.isValid(); changes.next()) {
          count++;
        }
        RocksDatabase.checkIterator(changes);
      }
      return count;
    });
  }

  // ---- writes (apply thread) ----

  /** Starts the changes of one raft entry; see {@link WriteTxn}. */
  public WriteTxn beginWrite() {
    return new WriteTxn(this, rocks, currentRevision, compactedRevision);
  }

  void commit(WriteTxn txn, long index, long term) {
    synchronized (writeLock) {
      ensureOpen();
      requireNewIndex(index);
      if (txn.beginRevision() != currentRevision) {
        throw new IllegalStateException("write txn began at revision " + txn.beginRevision()
            + " but the store moved to " + currentRevision + ": only one write txn at a time");
      }
      long newRevision = txn.revision();
      txn.putInternalMeta(MetaKey.APPLIED, encodePair(index, term));
      if (txn.hasChanges()) {
        txn.putInternalMeta(MetaKey.REVISIONS, encodePair(newRevision, compactedRevision));
      }
      rocks.write(txn.batch);
      currentRevision = newRevision;
      appliedIndex = index;
      appliedTerm = term;
    }
  }

  /**
   * Records that raft entry {@code index} was applied without changing any key.
   *
   * @return false (and nothing happens) if the index was already applied: a replayed entry
   */
  public boolean markApplied(long index, long term) {
    if (index <= appliedIndex) {
      return false;
    }
    try (WriteTxn txn = beginWrite()) {
      txn.commit(index, term);
    }
    return true;
  }

  /**
   * etcd's Compact at {@code revision}: from now on reads below it fail; superseded history is
   * deleted afterwards by {@link #compactStep}. The revision does not change.
   *
   * @throws io.cairn.api.EtcdException COMPACTED if {@code revision} is not above the last
   *     compaction, FUTURE_REVISION if it is above the current revision; nothing is written then
   */
  public void compact(long index, long term, long revision) {
    synchronized (writeLock) {
      ensureOpen();
      requireNewIndex(index);
      if (revision <= compactedRevision) {
        throw EtcdError.COMPACTED.exception();
      }
      if (revision > currentRevision) {
        throw EtcdError.FUTURE_REVISION.exception();
      }
      CompactionState scheduled = compaction.schedule(revision);
      try (WriteTxn txn = beginWrite()) {
        txn.putInternalMeta(MetaKey.APPLIED, encodePair(index, term));
        txn.putInternalMeta(MetaKey.REVISIONS, encodePair(currentRevision, revision));
        txn.putInternalMeta(MetaKey.COMPACTION, scheduled.encode());
        rocks.write(txn.batch);
      }
      compactedRevision = revision;
      appliedIndex = index;
      appliedTerm = term;
      compaction = scheduled;
    }
  }

  /** Whether superseded history still awaits deletion (also after a restart mid-compaction). */
  public boolean compactionPending() {
    synchronized (writeLock) {
      return compaction.pending();
    }
  }

  /**
   * Deletes superseded history of the pending compaction, examining at most {@code maxEntries}
   * changes. The server calls this from its loop until it returns false.
   *
   * @return whether more remains
   */
  public boolean compactStep(int maxEntries) {
    synchronized (writeLock) {
      ensureOpen();
      if (!compaction.pending()) {
        return false;
      }
      compaction = Compactor.step(rocks, compaction, maxEntries);
      return compaction.pending();
    }
  }

  private void requireNewIndex(long index) {
    if (index <= appliedIndex) {
      throw new IllegalStateException("raft index " + index + " is not above the applied index "
          + appliedIndex + ": callers must skip entries already applied");
    }
  }

  // ---- maintenance ----

  /** Atomically flushes every column family to disk; the server calls it before truncating the raft log. */
  public void flush() {
    whileOpen(() -> {
      rocks.flush();
      return null;
    });
  }

  /** Writes a consistent copy of the store to {@code dir} (which must not exist). */
  public void checkpoint(Path dir) {
    whileOpen(() -> {
      rocks.flush();
      try (Checkpoint checkpoint = Checkpoint.create(rocks.db)) {
        checkpoint.createCheckpoint(dir.toString());
      } catch (RocksDBException e) {
        throw new StorageException("cannot create checkpoint in " + dir, e);
      }
      return null;
    });
  }

  /** As {@link #replaceContents(Path, LongConsumer)} without progress reports. */
  public void replaceContents(Path checkpoint) {
    replaceContents(checkpoint, copied -> { });
  }

  /**
   * Makes this store's content exactly that of a checkpoint made by {@link #checkpoint} (on this
   * member or another): how a member installs a raft snapshot while the components sharing this
   * store keep their handle. Everything is deleted, the checkpoint's records are copied in batches
   * of about {@link #REPLACE_BATCH_BYTES}, then every column family is flushed. Reads wait
   * meanwhile, and see either the old content or the new.
   *
   * <p>Not atomic on disk: a crash midway leaves a mix of both. The caller records its intent
   * durably first and, after a crash, simply calls this again: the result does not depend on what
   * the store held before.
   *
   * @param afterEachBatch told the number of records copied so far after each batch is written
   */
  public void replaceContents(Path checkpoint, LongConsumer afterEachBatch) {
    synchronized (writeLock) {
      contentLock.writeLock().lock();
      try (RocksDatabase source = RocksDatabase.openReadOnly(checkpoint)) {
        List<ColumnFamilyHandle> targets = rocks.families();
        List<ColumnFamilyHandle> sources = source.families();
        for (ColumnFamilyHandle target : targets) {
          deleteAll(target);
        }
        long copied = 0;
        for (int i = 0; i < targets.size(); i++) {
          copied = copyFamily(source, sources.get(i), targets.get(i), copied, afterEachBatch);
        }
        rocks.flush();
        loadBookkeeping();
      } finally {
        contentLock.writeLock().unlock();
      }
    }
  }

  private void deleteAll(ColumnFamilyHandle family) {
    try (RocksIterator it = rocks.db.newIterator(family)) {
      it.seekToFirst();
      if (!it.isValid()) {
        RocksDatabase.checkIterator(it);
        return;
      }
      byte[] first = it.key();
      it.seekToLast();
      byte[] last = it.key();
      RocksDatabase.checkIterator(it);
      try (WriteBatch batch = new WriteBatch()) {
        batch.deleteRange(family, first, last); // end-exclusive: the last key goes separately
        batch.delete(family, last);
        rocks.write(batch);
      } catch (RocksDBException e) {
        throw new StorageException("cannot stage deleting the store's content", e);
      }
    }
  }

  private long copyFamily(RocksDatabase source, ColumnFamilyHandle from, ColumnFamilyHandle to, long copied,
      LongConsumer afterEachBatch) {
    try (RocksIterator it = source.db.newIterator(from); WriteBatch batch = new WriteBatch()) {
      long batchBytes = 0;
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        byte[] value = it.value();
        batch.put(to, key, value);
        copied++;
        batchBytes += key.length + value.length;
        if (batchBytes >= REPLACE_BATCH_BYTES) {
          rocks.write(batch);
          batch.clear();
          batchBytes = 0;
          afterEachBatch.accept(copied);
        }
      }
      RocksDatabase.checkIterator(it);
      if (batch.count() > 0) {
        rocks.write(batch);
        afterEachBatch.accept(copied);
      }
      return copied;
    } catch (RocksDBException e) {
      throw new StorageException("cannot stage copying a checkpoint into the store", e);
    }
  }

  public StorageSize size() {
    return whileOpen(() -> {
      long memtables = rocks.sumProperty("rocksdb.cur-size-all-mem-tables");
      return new StorageSize(rocks.sumProperty("rocksdb.total-sst-files-size") + memtables,
          rocks.sumProperty("rocksdb.estimate-live-data-size") + memtables);
    });
  }

  /** Closes the store; reads and writes afterwards fail with IllegalStateException. Idempotent. */
  @Override
  public void close() {
    synchronized (writeLock) {
      contentLock.writeLock().lock();
      try {
        if (!closed) {
          closed = true;
          rocks.close();
        }
      } finally {
        contentLock.writeLock().unlock();
      }
    }
  }

  private static byte[] encodePair(long first, long second) {
    return ByteBuffer.allocate(16).putLong(first).putLong(second).array();
  }

  private static long[] decodePair(byte[] value, long firstDefault, long secondDefault) {
    if (value == null) {
      return new long[] {firstDefault, secondDefault};
    }
    if (value.length != 16) {
      throw new IllegalStateException("meta record must be 16 bytes, got " + value.length);
    }
    ByteBuffer buffer = ByteBuffer.wrap(value);
    return new long[] {buffer.getLong(), buffer.getLong()};
  }
}
