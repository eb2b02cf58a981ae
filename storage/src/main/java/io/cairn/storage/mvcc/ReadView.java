package io.cairn.storage.mvcc;

import com.google.protobuf.ByteString;
import io.cairn.api.EtcdError;
import io.cairn.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;

/**
 * A consistent view of the key space: the store's current and compacted revision together with
 * the history data as of that moment, readable at any revision in between.
 *
 * <p>Client reads get a view backed by a RocksDB snapshot (see {@link MvccStore#readView()}), so
 * a write applied meanwhile is invisible; the apply thread's {@link WriteTxn} gets a view over its
 * own uncommitted batch layered on the database, so a txn's later operations see its earlier
 * writes. Not thread-safe: one view is used by one thread.
 *
 * <p>Reads seek instead of scanning: per user key in the range, one seek lands on its newest
 * version at or below the read revision and one more seek skips its older versions.
 */
public final class ReadView {
  /** Opens an iterator over one column family as this view sees it. */
  private final Function<ColumnFamilyHandle, RocksIterator> iterators;
  private final ColumnFamilyHandle history;
  /** Revision of the newest write visible in this view; reads default to it. */
  private final long currentRevision;
  /** Reads below this revision fail; -1 until the first compaction, as in etcd. */
  private final long compactedRevision;

  ReadView(Function<ColumnFamilyHandle, RocksIterator> iterators, ColumnFamilyHandle history,
      long currentRevision, long compactedRevision) {
    this.iterators = iterators;
    this.history = history;
    this.currentRevision = currentRevision;
    this.compactedRevision = compactedRevision;
  }

  RocksIterator historyIterator() {
    return iterators.apply(history);
  }

  RocksIterator iterator(ColumnFamilyHandle family) {
    return iterators.apply(family);
  }

  public long currentRevision() {
    return currentRevision;
  }

  public long compactedRevision() {
    return compactedRevision;
  }

  /** What {@link #range} found: the live key-values (up to the limit) and how many matched in all. */
  public record RangeResult(List<KeyValue> kvs, long count, long revision) {}

  /**
   * The live keys of {@code range} at {@code revision} in key order, like etcd's mvcc range.
   *
   * @param revision the revision to read at; {@code <= 0} means the current revision
   * @param limit at most this many key-values are returned; {@code <= 0} means no limit. The count
   *     still covers every match.
   * @param countOnly return only the count, no key-values
   * @throws io.cairn.api.EtcdException FUTURE_REVISION or COMPACTED
   */
  public RangeResult range(KeyRange range, long revision, long limit, boolean countOnly) {
    long at = resolve(revision);
    List<KeyValue> kvs = new ArrayList<>();
    long count = 0;
    try (RocksIterator it = historyIterator()) {
      it.seek(HistoryKey.firstOf(range.start()));
      while (it.isValid()) {
        byte[] userKey = HistoryKey.userKey(it.key());
        if (range.isPastEnd(userKey)) {
          break;
        }
        if (HistoryKey.revision(it.key()).main() > at) {
          it.seek(HistoryKey.newestAtOrBelow(userKey, at));
        }
        if (it.isValid() && Arrays.equals(HistoryKey.userKey(it.key()), userKey)
            && !HistoryValue.isTombstone(it.value())) {
          count++;
          if (!countOnly && (limit <= 0 || kvs.size() < limit)) {
            kvs.add(HistoryValue.decodePut(userKey, it.value()));
          }
        }
        if (range.isSingleKey()) {
          break;
        }
        skipRestOf(it, userKey);
      }
      RocksDatabase.checkIterator(it);
    }
    return new RangeResult(kvs, count, currentRevision);
  }

  /** Steps this many entries before seeking: most keys have few versions and next() is cheaper. */
  private static final int NEXT_BEFORE_SEEK = 4;

  /**
   * Moves {@code it} to the first entry of the key after {@code userKey}. The iterator may already
   * be there (or past the end) when the seek for an old version found none.
   */
  private static void skipRestOf(RocksIterator it, byte[] userKey) {
    byte[] prefix = HistoryKey.firstOf(userKey);
    for (int i = 0; i < NEXT_BEFORE_SEEK; i++) {
      if (!it.isValid() || !startsWith(it.key(), prefix)) {
        return;
      }
      it.next();
    }
    it.seek(HistoryKey.afterAllOf(userKey));
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** The live version of {@code key} at {@code revision} (already resolved and checked), or null. */
  public KeyValue get(byte[] key, long revision) {
    try (RocksIterator it = historyIterator()) {
      return newestAtOrBelow(it, key, revision, false);
    }
  }

  /**
   * The newest change of {@code key} at or below {@code revision} as a key-value, or null when
   * there is none or (unless {@code withTombstone}) when it is a delete. A tombstone comes back as
   * etcd's delete-event form: key and mod_revision only.
   */
  static KeyValue newestAtOrBelow(RocksIterator it, byte[] key, long revision, boolean withTombstone) {
    it.seek(HistoryKey.newestAtOrBelow(key, revision));
    if (!it.isValid() || !Arrays.equals(HistoryKey.userKey(it.key()), key)) {
      return null;
    }
    if (HistoryValue.isTombstone(it.value())) {
      return withTombstone ? tombstoneKeyValue(key, HistoryKey.revision(it.key()).main()) : null;
    }
    return HistoryValue.decodePut(key, it.value());
  }

  static KeyValue tombstoneKeyValue(byte[] key, long modRevision) {
    return KeyValue.newBuilder().setKey(ByteString.copyFrom(key))
        .setModRevision(modRevision).build();
  }

  /** etcd's revision rules for reads: future fails, {@code <= 0} is current, below compaction fails. */
  public long resolve(long revision) {
    if (revision > currentRevision) {
      throw EtcdError.FUTURE_REVISION.exception();
    }
    long at = revision <= 0 ? currentRevision : revision;
    if (at < compactedRevision) {
      throw EtcdError.COMPACTED.exception();
    }
    return at;
  }
}
