package io.cairn.jepsen.elle;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The verdict on a list-append history: valid when no anomaly was found.
 *
 * @param anomalies every anomaly found, non-cycle anomalies first, then one cycle per strongly connected
 *     component of the dependency graph (its most specific classification)
 * @param transactionsChecked transactions that became graph nodes (OK, plus indeterminate ones)
 */
public record ListAppendResult(List<Anomaly> anomalies, int transactionsChecked) {

  public ListAppendResult {
    anomalies = List.copyOf(anomalies);
  }

  public boolean valid() {
    return anomalies.isEmpty();
  }

  public Set<AnomalyType> types() {
    return anomalies.stream().map(Anomaly::type).collect(Collectors.toSet());
  }
}
