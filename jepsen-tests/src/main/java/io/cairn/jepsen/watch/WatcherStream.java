package io.cairn.jepsen.watch;

import java.util.List;
import java.util.Objects;

/**
 * What one watcher asked for and everything it received.
 *
 * @param id a name for explanations
 * @param key the watched key, or the start of the watched range
 * @param rangeEnd etcd's range_end: null watches {@code key} alone, {@code "\0"} every key from {@code
 *     key} on, anything else the keys in [key, rangeEnd)
 * @param startRevision the watch's start_revision (the first revision it must deliver)
 * @param endRevision the last revision the watcher is known to have caught up to (its last progress
 *     notification, or the store's final revision if it ran to the end); every matching event in
 *     [startRevision, endRevision] must have been received
 * @param prevKv whether the watch asked for prev_kv
 * @param events the events received, in the order received
 */
public record WatcherStream(
    String id, String key, String rangeEnd, long startRevision, long endRevision, boolean prevKv, List<ReceivedEvent> events) {

  public WatcherStream {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(key, "key");
    if (startRevision < 1 || endRevision < startRevision - 1) {
      throw new IllegalArgumentException(
          "watcher " + id + " has a bad revision range [" + startRevision + ", " + endRevision + "]");
    }
    events = List.copyOf(events);
  }

  /** Whether the watch covers {@code k}. */
  boolean watches(String k) {
    if (rangeEnd == null) {
      return k.equals(key);
    }
    if (rangeEnd.equals("\0")) {
      return k.compareTo(key) >= 0;
    }
    return k.compareTo(key) >= 0 && k.compareTo(rangeEnd) < 0;
  }

  boolean inRange(long revision) {
    return revision >= startRevision && revision <= endRevision;
  }
}
