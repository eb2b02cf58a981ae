package io.cairn.jepsen.elle;

import io.cairn.jepsen.history.CompletedOp;
import io.cairn.jepsen.history.MicroOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who appended what. The list-append workload writes each value at most once per key, which is what
 * makes every observed element name exactly one writer; a history breaking that is rejected as bad
 * input rather than checked wrongly.
 */
final class AppendIndex {

  /** key -> appended value -> the transaction that appended it (any outcome). */
  private final Map<String, Map<Long, CompletedOp>> writers = new HashMap<>();
  /** transaction id -> key -> that transaction's appends to the key, in step order. */
  private final Map<Integer, Map<String, List<Long>>> appendsByTxn = new HashMap<>();

  AppendIndex(List<CompletedOp> txns) {
    for (CompletedOp txn : txns) {
      for (MicroOp step : txn.payload().txn()) {
        if (!step.isAppend()) {
          continue;
        }
        CompletedOp previous = writers.computeIfAbsent(step.key(), k -> new HashMap<>()).putIfAbsent(step.value(), txn);
        if (previous != null) {
          throw new IllegalArgumentException(
              "value " + step.value() + " appended to " + step.key() + " twice: " + previous + " and " + txn);
        }
        appendsByTxn
            .computeIfAbsent(txn.id(), id -> new HashMap<>())
            .computeIfAbsent(step.key(), k -> new ArrayList<>())
            .add(step.value());
      }
    }
  }

  /** The transaction that appended {@code value} to {@code key}, or null if none did. */
  CompletedOp writer(String key, long value) {
    return writers.getOrDefault(key, Map.of()).get(value);
  }

  /** The appends {@code txn} made to {@code key}, in order; empty if none. */
  List<Long> appends(CompletedOp txn, String key) {
    return appendsByTxn.getOrDefault(txn.id(), Map.of()).getOrDefault(key, List.of());
  }

  /** Every value appended to {@code key}, with its writer (any outcome). */
  Map<Long, CompletedOp> writersOf(String key) {
    return writers.getOrDefault(key, Map.of());
  }
}
