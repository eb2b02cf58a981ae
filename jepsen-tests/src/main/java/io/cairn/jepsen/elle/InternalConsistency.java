package io.cairn.jepsen.elle;

import io.cairn.jepsen.history.CompletedOp;
import io.cairn.jepsen.history.MicroOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that each OK transaction's reads agree with its own earlier steps: a read of a key the
 * transaction read before must show that read plus the transaction's appends since; a read after the
 * transaction's own appends must end with them. The dependency graph says nothing about a transaction
 * contradicting itself, so this is checked apart.
 */
final class InternalConsistency {

  private InternalConsistency() {}

  static List<Anomaly> check(List<CompletedOp> txns) {
    List<Anomaly> anomalies = new ArrayList<>();
    for (CompletedOp txn : txns) {
      if (!txn.isOk()) {
        continue;
      }
      // key -> what the transaction knows of it: the last read (null if none) and its appends since.
      Map<String, List<Long>> lastRead = new HashMap<>();
      Map<String, List<Long>> appendedSince = new HashMap<>();
      for (MicroOp step : txn.payload().txn()) {
        if (step.isAppend()) {
          appendedSince.computeIfAbsent(step.key(), k -> new ArrayList<>()).add(step.value());
          continue;
        }
        List<Long> own = appendedSince.getOrDefault(step.key(), List.of());
        List<Long> before = lastRead.get(step.key());
        List<Long> observed = step.read();
        boolean consistent;
        String expected;
        if (before != null) {
          List<Long> wanted = new ArrayList<>(before);
          wanted.addAll(own);
          consistent = observed.equals(wanted);
          expected = wanted.toString();
        } else {
          consistent = observed.size() >= own.size() && observed.subList(observed.size() - own.size(), observed.size()).equals(own);
          expected = "a list ending with " + own;
        }
        if (!consistent) {
          anomalies.add(Anomaly.of(AnomalyType.INTERNAL,
              "read of " + step.key() + " shows " + observed + " where the transaction's own steps imply " + expected, txn));
        }
        lastRead.put(step.key(), observed);
        appendedSince.remove(step.key());
      }
    }
    return anomalies;
  }
}
