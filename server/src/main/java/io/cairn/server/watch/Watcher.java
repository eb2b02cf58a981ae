package io.cairn.server.watch;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.mvccpb.Event;
import io.cairn.storage.mvcc.KeyRange;
import java.util.ArrayList;
import java.util.List;

/**
 * One watch of one stream: what it watches (a key range, filters, options) and how far it got.
 *
 * <p>Invariant (guarded by the {@link WatchHub}'s lock): every event with revision in
 * {@code [minRevision, next)} on the range and passing the filters has been handed to the
 * stream, in revision order, each revision whole; none at or after {@code next} has. For an
 * unsynced watcher {@code next} is {@link #nextRevision}, and it catches up from the store; for a
 * synced one it is the hub's notified revision + 1 ({@link #nextRevision} is then not kept up to
 * date and is set again when it falls behind), and it gets new revisions as they are applied.
 */
final class Watcher {
  final long id;
  final WatchStream stream;
  /** The watched keys; {@code singleKey} is set (and equal to its start) for a one-key watch. */
  final KeyRange range;
  final ByteString singleKey;
  final boolean noPut;
  final boolean noDelete;
  final boolean prevKv;
  final boolean progressNotify;
  final boolean fragment;
  /** Events below this revision are never sent (a start revision in the future). */
  final long minRevision;

  /** See the class invariant. Guarded by the hub's lock. */
  long nextRevision;
  /** Whether it is in the hub's synced group. Guarded by the hub's lock. */
  boolean synced;
  /** Set when canceled or its stream closed: it gets nothing more. Guarded by the hub's lock. */
  boolean canceled;
  /** Whether events were sent since the last progress tick (which then skips it, as etcd). */
  volatile boolean sentSinceProgressTick;

  Watcher(long id, WatchStream stream, KeyRange range, ByteString singleKey, WatchCreateRequest request, long minRevision) {
    this.id = id;
    this.stream = stream;
    this.range = range;
    this.singleKey = singleKey;
    boolean noPut = false;
    boolean noDelete = false;
    for (WatchCreateRequest.FilterType f : request.getFiltersList()) {
      noPut |= f == WatchCreateRequest.FilterType.NOPUT;
      noDelete |= f == WatchCreateRequest.FilterType.NODELETE;
    }
    this.noPut = noPut;
    this.noDelete = noDelete;
    this.prevKv = request.getPrevKv();
    this.progressNotify = request.getProgressNotify();
    this.fragment = request.getFragment();
    this.minRevision = minRevision;
    this.nextRevision = minRevision;
  }

  /** The events of {@code events} this watcher gets, shaped for it. */
  List<Event> select(List<Event> events) {
    List<Event> selected = new ArrayList<>();
    for (Event e : events) {
      if (matches(e)) {
        selected.add(shape(e));
      }
    }
    return selected;
  }

  /** The event as this watcher receives it: with prev_kv only if it asked for it. */
  Event shape(Event e) {
    return prevKv || !e.hasPrevKv() ? e : e.toBuilder().clearPrevKv().build();
  }

  boolean matches(Event e) {
    if (e.getKv().getModRevision() < minRevision) {
      return false;
    }
    if (e.getType() == Event.EventType.PUT ? noPut : noDelete) {
      return false;
    }
    return singleKey != null ? singleKey.equals(e.getKv().getKey()) : range.contains(e.getKv().getKey().toByteArray());
  }
}
