package io.cairn.jepsen.watch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The store's complete history: every change, revision by revision, and for each change the key's value
 * just before it (what a prev_kv must show). It is the reference the watch streams are checked against,
 * so it must come from the final store (e.g. a watch from revision 1 taken after the run, before any
 * compaction) and is itself checked against the acknowledged writes.
 */
public final class StoreHistory {

  /** revision -> its changes, in the order the revision applied them; each key at most once per revision. */
  private final NavigableMap<Long, List<StoreEvent>> byRevision = new TreeMap<>();
  /** "revision/key" -> the key's value before that revision; absent from the map when the key did not exist. */
  private final Map<String, String> previousValues = new HashMap<>();
  /** "revision/key" -> the change. */
  private final Map<String, StoreEvent> byPosition = new HashMap<>();

  /**
   * @param changes every change, in revision order (a revision's changes in the order it applied them)
   * @throws IllegalArgumentException if revisions go backwards or a revision changes a key twice
   */
  public StoreHistory(List<StoreEvent> changes) {
    Map<String, String> current = new HashMap<>();
    long last = 0;
    for (StoreEvent change : changes) {
      if (change.revision() < last) {
        throw new IllegalArgumentException("store history goes back from revision " + last + " to " + change.revision());
      }
      last = change.revision();
      String position = change.revision() + "/" + change.key();
      if (byPosition.putIfAbsent(position, change) != null) {
        throw new IllegalArgumentException("revision " + change.revision() + " changes key " + change.key() + " twice");
      }
      byRevision.computeIfAbsent(change.revision(), r -> new ArrayList<>()).add(change);
      String before = current.get(change.key());
      if (before != null) {
        previousValues.put(position, before);
      }
      if (change.type() == EventType.PUT) {
        current.put(change.key(), change.value());
      } else {
        current.remove(change.key());
      }
    }
  }

  /** The change of {@code key} at {@code revision}, or null if that revision did not change it. */
  StoreEvent change(long revision, String key) {
    return byPosition.get(revision + "/" + key);
  }

  /** The changes of one revision, in order; empty if none. */
  List<StoreEvent> changesAt(long revision) {
    return byRevision.getOrDefault(revision, List.of());
  }

  /** Every change in [from, to], in order. */
  List<StoreEvent> changesBetween(long from, long to) {
    List<StoreEvent> result = new ArrayList<>();
    if (from <= to) {
      Collection<List<StoreEvent>> revisions = byRevision.subMap(from, true, to, true).values();
      revisions.forEach(result::addAll);
    }
    return result;
  }

  /** The value {@code key} had just before {@code revision}; null if it did not exist. */
  String valueBefore(long revision, String key) {
    return previousValues.get(revision + "/" + key);
  }
}
