package io.cairn.storage.mvcc;

import com.google.protobuf.ByteString;
import io.cairn.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;

/**
 * The changes of one write request (one raft entry), collected in a RocksDB
 * {@link WriteBatchWithIndex} and made durable-and-visible at once by {@link #commit}.
 *
 * <p>All changes take main revision {@code beginRevision + 1} with sub revisions 0, 1, 2... in
 * the order they are made. Reads through {@link #view()} see the database plus this batch, which
 * is how a txn's later operations see its own earlier writes; they read at {@link #revision()},
 * which is {@code beginRevision} until the first change and {@code beginRevision + 1} after.
 *
 * <p>Apply thread only. A txn that is closed without commit changes nothing.
 */
public final class WriteTxn implements AutoCloseable {
  private final MvccStore store;
  private final RocksDatabase rocks;
  final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
  /** The store's current revision when this txn began. */
  private final long beginRevision;
  /** The store's compacted revision when this txn began (reads below it fail). */
  private final long compactedRevision;
  /** Number of key changes so far: the next change's sub revision. */
  private int changes;
  private boolean finished;

  WriteTxn(MvccStore store, RocksDatabase rocks, long beginRevision, long compactedRevision) {
    this.store = store;
    this.rocks = rocks;
    this.beginRevision = beginRevision;
    this.compactedRevision = compactedRevision;
  }

  /** The revision reads in this txn see and its responses report: +1 once something changed. */
  public long revision() {
    return changes > 0 ? beginRevision + 1 : beginRevision;
  }

  public long beginRevision() {
    return beginRevision;
  }

  public boolean hasChanges() {
    return changes > 0;
  }

  /** The database as this txn sees it: committed data plus this txn's changes so far. */
  public ReadView view() {
    return new ReadView(family -> batch.newIteratorWithBase(family, rocks.db.newIterator(family)),
        rocks.history, revision(), compactedRevision);
  }

  /**
   * Writes a new version of {@code key}: version + 1 of its live generation, or version 1 with a
   * new create_revision if it does not exist (never existed, or deleted).
   *
   * @return the key-value as stored
   */
  public KeyValue put(byte[] key, ByteString value, long lease) {
    ensureOpen();
    if (key.length == 0) {
      throw new IllegalArgumentException("empty key reached the MVCC store");
    }
    long rev = beginRevision + 1;
    KeyValue previous = view().get(key, revision());
    KeyValue kv = KeyValue.newBuilder()
        .setKey(ByteString.copyFrom(key))
        .setCreateRevision(previous == null ? rev : previous.getCreateRevision())
        .setModRevision(rev)
        .setVersion(previous == null ? 1 : previous.getVersion() + 1)
        .setValue(value)
        .setLease(lease)
        .build();
    record(key, HistoryValue.put(kv), false);
    return kv;
  }

  /**
   * Deletes every live key of {@code range}, each with its own sub revision in key order.
   *
   * @return the deleted key-values as they were just before (etcd's prev_kvs)
   */
  public List<KeyValue> deleteRange(KeyRange range) {
    ensureOpen();
    List<KeyValue> live = view().range(range, revision(), 0, false).kvs();
    List<KeyValue> deleted = new ArrayList<>(live.size());
    for (KeyValue kv : live) {
      record(kv.getKey().toByteArray(), HistoryValue.tombstone(), true);
      deleted.add(kv);
    }
    return deleted;
  }

  /** Stores a record of another subsystem in the same atomic batch. */
  public void putMeta(MetaKey key, byte[] value) {
    ensureOpen();
    if (MetaKey.RESERVED.equals(key.namespace())) {
      throw new IllegalArgumentException("meta namespace '" + MetaKey.RESERVED + "' is the store's own");
    }
    putInternalMeta(key, value);
  }

  /** Deletes a record of another subsystem in the same atomic batch (absent: no effect). */
  public void deleteMeta(MetaKey key) {
    ensureOpen();
    if (MetaKey.RESERVED.equals(key.namespace())) {
      throw new IllegalArgumentException("meta namespace '" + MetaKey.RESERVED + "' is the store's own");
    }
    try {
      batch.delete(rocks.meta, key.encode());
    } catch (RocksDBException e) {
      throw new StorageException("cannot stage a meta delete", e);
    }
  }

  void putInternalMeta(MetaKey key, byte[] value) {
    try {
      batch.put(rocks.meta, key.encode(), value);
    } catch (RocksDBException e) {
      throw new StorageException("cannot stage a meta record", e);
    }
  }

  private void record(byte[] key, byte[] historyValue, boolean tombstone) {
    Revision revision = new Revision(beginRevision + 1, changes);
    try {
      batch.put(rocks.history, HistoryKey.encode(key, revision), historyValue);
      batch.put(rocks.revisions, RevisionKey.encode(revision), new ChangeRef(key, tombstone).encode());
    } catch (RocksDBException e) {
      throw new StorageException("cannot stage a change", e);
    }
    changes++;
  }

  /**
   * Writes this txn's changes, the applied raft index and term, and (if anything changed) the new
   * current revision in one atomic batch.
   *
   * @throws IllegalStateException if {@code index} is not above the store's applied index
   */
  public void commit(long index, long term) {
    ensureOpen();
    finished = true;
    store.commit(this, index, term);
  }

  private void ensureOpen() {
    if (finished) {
      throw new IllegalStateException("write txn already committed");
    }
  }

  @Override
  public void close() {
    finished = true;
    batch.close();
  }
}
