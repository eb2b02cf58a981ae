package io.cairn.jepsen.watch;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The verdict on a watch run: valid when no anomaly was found.
 *
 * @param anomalies every problem found, store-history problems first, then watcher by watcher
 * @param eventsChecked the events received by all watchers
 */
public record WatchCheckResult(List<WatchAnomaly> anomalies, int eventsChecked) {

  public WatchCheckResult {
    anomalies = List.copyOf(anomalies);
  }

  public boolean valid() {
    return anomalies.isEmpty();
  }

  public Set<WatchAnomalyType> types() {
    return anomalies.stream().map(WatchAnomaly::type).collect(Collectors.toSet());
  }
}
