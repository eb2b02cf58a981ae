package io.cairn.storage.mvcc;

import io.cairn.api.EtcdError;
import io.cairn.api.mvccpb.Event;
import io.cairn.api.mvccpb.KeyValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksIterator;

/**
 * Walks of the {@code revisions} column family, the store's change log in revision order: watch
 * events for a revision interval, and etcd's HashKV over the history that survives compaction.
 */
final class ChangeLog {
  private ChangeLog() {}

  /** See {@link MvccStore#events}. */
  static List<Event> events(ReadView view, ColumnFamilyHandle revisions, long fromRevision, long toRevision,
      int maxEvents) {
    if (fromRevision < view.compactedRevision()) {
      throw EtcdError.COMPACTED.exception();
    }
    List<Event> events = new ArrayList<>();
    try (RocksIterator changes = view.iterator(revisions);
        RocksIterator history = view.historyIterator()) {
      changes.seek(RevisionKey.firstOfMain(Math.max(fromRevision, 0)));
      long lastMain = -1;
      for (; changes.isValid(); changes.next()) {
        Revision revision = RevisionKey.decode(changes.key());
        if (revision.main() > Math.min(toRevision, view.currentRevision())
            || (events.size() >= maxEvents && revision.main() != lastMain)) {
          break;
        }
        lastMain = revision.main();
        events.add(event(history, ChangeRef.decode(changes.value()), revision));
      }
      RocksDatabase.checkIterator(changes);
    }
    return events;
  }

  private static Event event(RocksIterator history, ChangeRef ref, Revision revision) {
    byte[] historyKey = HistoryKey.encode(ref.userKey(), revision);
    history.seek(historyKey);
    if (!history.isValid() || !Arrays.equals(history.key(), historyKey)) {
      throw new IllegalStateException("revisions entry " + revision + " has no history entry");
    }
    Event.Builder event = Event.newBuilder();
    if (ref.tombstone()) {
      event.setType(Event.EventType.DELETE).setKv(ReadView.tombstoneKeyValue(ref.userKey(), revision.main()));
    } else {
      event.setType(Event.EventType.PUT).setKv(HistoryValue.decodePut(ref.userKey(), history.value()));
    }
    KeyValue previous = ReadView.newestAtOrBelow(history, ref.userKey(), revision.main() - 1, false);
    if (previous != null) {
      event.setPrevKv(previous);
    }
    return event.build();
  }

  /** See {@link MvccStore#hashKv}. */
  static HashKv hashKv(ReadView view, ColumnFamilyHandle revisions, long revision) {
    if (revision > view.currentRevision()) {
      throw EtcdError.FUTURE_REVISION.exception();
    }
    if (revision > 0 && revision < view.compactedRevision()) {
      throw EtcdError.COMPACTED.exception();
    }
    long upTo = revision <= 0 ? view.currentRevision() : revision;
    CRC32C crc = new CRC32C();
    try (RocksIterator changes = view.iterator(revisions);
        RocksIterator history = view.historyIterator();
        RocksIterator lookup = view.historyIterator()) {
      for (changes.seekToFirst(); changes.isValid(); changes.next()) {
        Revision rev = RevisionKey.decode(changes.key());
        if (rev.main() > upTo) {
          break;
        }
        ChangeRef ref = ChangeRef.decode(changes.value());
        if (Compactor.survives(lookup, ref, rev, view.compactedRevision())) {
          history.seek(HistoryKey.encode(ref.userKey(), rev));
          if (!history.isValid()) {
            throw new IllegalStateException("revisions entry " + rev + " has no history entry");
          }
          crc.update(changes.key());
          crc.update(changes.value());
          crc.update(history.value());
        }
      }
      RocksDatabase.checkIterator(changes);
    }
    return new HashKv((int) crc.getValue(), view.compactedRevision(), upTo);
  }
}
