package io.cairn.jepsen.elle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The version order of each key, inferred from reads: a list only grows by appends, so every read of a
 * key must be a prefix of the longest read of it, and the longest read is the order of the appends it
 * shows. Reads that are not prefixes of it, and reads listing an element twice, are anomalies in their
 * own right.
 */
final class VersionOrders {

  /** key -> the longest list read of it. */
  private final Map<String, List<Long>> longest = new HashMap<>();
  private final List<Anomaly> anomalies = new ArrayList<>();

  VersionOrders(List<ObservedRead> reads) {
    Map<String, ObservedRead> longestRead = new HashMap<>();
    for (ObservedRead read : reads) {
      if (new HashSet<>(read.values()).size() != read.values().size()) {
        anomalies.add(Anomaly.of(AnomalyType.DUPLICATE_ELEMENTS,
            "read of " + read.key() + " lists an element twice: " + read.values(), read.txn()));
      }
      longestRead.merge(read.key(), read, (a, b) -> b.values().size() > a.values().size() ? b : a);
    }
    Set<String> reported = new HashSet<>();
    for (ObservedRead read : reads) {
      ObservedRead max = longestRead.get(read.key());
      if (!isPrefix(read.values(), max.values()) && reported.add(read.key() + read.values())) {
        anomalies.add(Anomaly.of(AnomalyType.INCOMPATIBLE_ORDER,
            "reads of " + read.key() + " disagree on its order: " + read.values() + " is not a prefix of " + max.values(),
            read.txn(), max.txn()));
      }
    }
    longestRead.forEach((key, read) -> longest.put(key, List.copyOf(new LinkedHashSet<>(read.values()))));
  }

  private static boolean isPrefix(List<Long> candidate, List<Long> of) {
    return candidate.size() <= of.size() && of.subList(0, candidate.size()).equals(candidate);
  }

  /** The keys with at least one read. */
  Set<String> keys() {
    return longest.keySet();
  }

  /**
   * The inferred order of {@code key}'s appends, each element once (a duplicate is reported, and must not
   * also turn into a fake write cycle); empty if the key was never read non-empty.
   */
  List<Long> order(String key) {
    return longest.getOrDefault(key, List.of());
  }

  List<Anomaly> anomalies() {
    return anomalies;
  }
}
