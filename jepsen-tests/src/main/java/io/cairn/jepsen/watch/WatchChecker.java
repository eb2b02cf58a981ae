package io.cairn.jepsen.watch;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks watch streams against the store's history, the guarantees etcd documents for watch: events
 * come ordered by revision, never twice, with no gap between the start revision and the point the
 * watcher caught up to, a revision's events together in one response, and prev_kv equal to the key's
 * value just before the event. It also checks that every acknowledged write is in the store's history
 * at its revision; with the gap check that makes every acknowledged write in a watcher's range seen
 * exactly once, at its revision.
 */
public final class WatchChecker {

  public WatchCheckResult check(StoreHistory store, List<StoreEvent> acknowledgedWrites, List<WatcherStream> watchers) {
    List<WatchAnomaly> anomalies = new ArrayList<>();
    for (StoreEvent write : acknowledgedWrites) {
      StoreEvent stored = store.change(write.revision(), write.key());
      if (!write.equals(stored)) {
        anomalies.add(new WatchAnomaly(WatchAnomalyType.LOST_WRITE, null, write.revision(), write.key(),
            "acknowledged " + write + " but the store has " + stored));
      }
    }
    int events = 0;
    for (WatcherStream watcher : watchers) {
      anomalies.addAll(checkStream(store, watcher));
      events += watcher.events().size();
    }
    return new WatchCheckResult(anomalies, events);
  }

  private static List<WatchAnomaly> checkStream(StoreHistory store, WatcherStream watcher) {
    List<WatchAnomaly> anomalies = new ArrayList<>();
    Set<String> received = new HashSet<>();
    Map<Long, Long> responseOfRevision = new HashMap<>();
    long lastRevision = 0;
    int lastIndexInRevision = -1;
    for (ReceivedEvent event : watcher.events()) {
      if (!watcher.watches(event.key()) || event.revision() < watcher.startRevision()) {
        anomalies.add(anomaly(WatchAnomalyType.UNWATCHED, watcher, event,
            "outside key " + watcher.key() + " range end " + watcher.rangeEnd() + " from revision " + watcher.startRevision()));
        continue;
      }
      StoreEvent stored = store.change(event.revision(), event.key());
      if (stored == null || stored.type() != event.type() || !Objects.equals(stored.value(), event.value())) {
        anomalies.add(anomaly(WatchAnomalyType.PHANTOM, watcher, event,
            "received " + event.type() + " " + event.value() + " but the store has " + stored));
        continue;
      }
      if (!received.add(event.position())) {
        anomalies.add(anomaly(WatchAnomalyType.DUPLICATE, watcher, event, "received again"));
        continue;
      }
      int indexInRevision = store.changesAt(event.revision()).indexOf(stored);
      if (event.revision() < lastRevision || (event.revision() == lastRevision && indexInRevision < lastIndexInRevision)) {
        anomalies.add(anomaly(WatchAnomalyType.OUT_OF_ORDER, watcher, event,
            "received after an event of revision " + lastRevision));
      } else {
        lastRevision = event.revision();
        lastIndexInRevision = indexInRevision;
      }
      Long firstResponse = responseOfRevision.putIfAbsent(event.revision(), event.response());
      if (firstResponse != null && firstResponse != event.response()) {
        anomalies.add(anomaly(WatchAnomalyType.SPLIT_REVISION, watcher, event,
            "in response " + event.response() + " while the revision's earlier events came in response " + firstResponse));
      }
      String expectedPrev = watcher.prevKv() ? store.valueBefore(event.revision(), event.key()) : null;
      if (!Objects.equals(expectedPrev, event.prevValue())) {
        anomalies.add(anomaly(WatchAnomalyType.WRONG_PREV_KV, watcher, event,
            "prev_kv value " + event.prevValue() + ", expected " + expectedPrev
                + (watcher.prevKv() ? "" : " (the watch did not ask for prev_kv)")));
      }
    }
    for (StoreEvent change : store.changesBetween(watcher.startRevision(), watcher.endRevision())) {
      if (watcher.watches(change.key()) && !received.contains(change.revision() + "/" + change.key())) {
        anomalies.add(new WatchAnomaly(WatchAnomalyType.GAP, watcher.id(), change.revision(), change.key(),
            "never received " + change.type() + " " + change.value() + " although the watcher caught up to revision "
                + watcher.endRevision()));
      }
    }
    return anomalies;
  }

  private static WatchAnomaly anomaly(WatchAnomalyType type, WatcherStream watcher, ReceivedEvent event, String why) {
    return new WatchAnomaly(type, watcher.id(), event.revision(), event.key(), why);
  }
}
