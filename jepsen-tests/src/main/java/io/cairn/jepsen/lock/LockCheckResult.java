package io.cairn.jepsen.lock;

import java.util.List;

/**
 * What the lock checker found.
 *
 * @param anomalies every anomaly, in the order found
 * @param summary what was checked and the run's figures (acquisitions, fenced writes acknowledged and
 *     refused, overlapping tenures, versions of the resource checked)
 */
public record LockCheckResult(List<LockAnomaly> anomalies, String summary) {

  public LockCheckResult {
    anomalies = List.copyOf(anomalies);
  }

  public boolean valid() {
    return anomalies.isEmpty();
  }
}
