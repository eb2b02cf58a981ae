package io.cairn.storage.mvcc;

import java.util.Arrays;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Physical compaction: deletes the history that compaction at revision C made unreachable, in
 * bounded steps.
 *
 * <p>A change of key k at revision r (r.main &lt;= C) survives iff it is k's newest change at or
 * below C and not a delete: every read at a revision &gt;= C sees exactly those. The walk goes
 * through {@code revisions} in ascending order, so when an entry is examined every newer change
 * of its key is still present and the "newest at or below C" test is exact. Each step writes its
 * deletions together with the advanced cursor, so a crash between steps loses nothing and
 * repeats nothing.
 */
final class Compactor {
  private Compactor() {}

  /** Whether the change {@code ref} at {@code revision} is still readable after compaction at {@code compactRevision}. */
  static boolean survives(RocksIterator history, ChangeRef ref, Revision revision, long compactRevision) {
    if (revision.main() > compactRevision) {
      return true;
    }
    if (ref.tombstone()) {
      return false;
    }
    history.seek(HistoryKey.newestAtOrBelow(ref.userKey(), compactRevision));
    return history.isValid()
        && Arrays.equals(HistoryKey.userKey(history.key()), ref.userKey())
        && HistoryKey.revision(history.key()).equals(revision);
  }

  /**
   * Examines at most {@code maxEntries} changes of the pending compaction and deletes the
   * superseded ones, persisting the progress in the same batch.
   *
   * @return the new state (not pending any more once the walk passed the scheduled revision)
   */
  static CompactionState step(RocksDatabase rocks, CompactionState state, int maxEntries) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be > 0: " + maxEntries);
    }
    try (RocksIterator changes = rocks.db.newIterator(rocks.revisions);
        RocksIterator history = rocks.db.newIterator(rocks.history);
        WriteBatch batch = new WriteBatch()) {
      changes.seek(RevisionKey.encode(state.cursor()));
      int examined = 0;
      Revision next = null;
      while (changes.isValid()) {
        Revision revision = RevisionKey.decode(changes.key());
        if (revision.main() > state.scheduled()) {
          break;
        }
        if (examined == maxEntries) {
          next = revision;
          break;
        }
        ChangeRef ref = ChangeRef.decode(changes.value());
        if (!survives(history, ref, revision, state.scheduled())) {
          batch.delete(rocks.history, HistoryKey.encode(ref.userKey(), revision));
          batch.delete(rocks.revisions, changes.key());
        }
        examined++;
        changes.next();
      }
      RocksDatabase.checkIterator(changes);
      RocksDatabase.checkIterator(history);
      CompactionState updated = next == null
          ? new CompactionState(state.scheduled(), state.scheduled(), new Revision(state.scheduled() + 1, 0))
          : new CompactionState(state.scheduled(), state.finished(), next);
      batch.put(rocks.meta, MetaKey.COMPACTION.encode(), updated.encode());
      rocks.write(batch);
      return updated;
    } catch (RocksDBException e) {
      throw new StorageException("physical compaction failed", e);
    }
  }
}
