package io.cairn.jepsen.workload;

import java.util.List;

/**
 * A checker's verdict on one run, in words a person can act on.
 *
 * @param valid whether every check passed
 * @param summary one line: what was checked and how much
 * @param anomalies the smallest explanation of each anomaly found (empty when valid)
 */
public record CheckReport(boolean valid, String summary, List<String> anomalies) {

  public CheckReport {
    anomalies = List.copyOf(anomalies);
  }

  public static CheckReport of(String summary, List<String> anomalies) {
    return new CheckReport(anomalies.isEmpty(), summary, anomalies);
  }
}
