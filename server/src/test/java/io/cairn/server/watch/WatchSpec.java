package io.cairn.server.watch;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.mvccpb.Event;
import io.cairn.storage.mvcc.KeyRange;
import java.util.ArrayList;
import java.util.List;

/** What a watch asked for, and the events of a history it must therefore see (the checker's model). */
record WatchSpec(ByteString key, ByteString rangeEnd, boolean noPut, boolean noDelete, boolean prevKv) {
  static WatchSpec of(WatchCreateRequest r) {
    return new WatchSpec(r.getKey(), r.getRangeEnd(),
        r.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT),
        r.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE), r.getPrevKv());
  }

  boolean matches(Event e) {
    if (e.getType() == Event.EventType.PUT ? noPut : noDelete) {
      return false;
    }
    ByteString k = key.isEmpty() ? ByteString.copyFrom(new byte[] {0}) : key;
    return KeyRange.of(k, rangeEnd).contains(e.getKv().getKey().toByteArray());
  }

  /** The events of {@code history} with revision in [from, to] this watch gets, shaped as sent. */
  List<Event> expected(List<Event> history, long from, long to) {
    List<Event> out = new ArrayList<>();
    for (Event e : history) {
      long rev = e.getKv().getModRevision();
      if (rev >= from && rev <= to && matches(e)) {
        out.add(prevKv ? e : e.toBuilder().clearPrevKv().build());
      }
    }
    return out;
  }
}
