package io.cairn.jepsen.elle;

import io.cairn.jepsen.history.CompletedOp;
import io.cairn.jepsen.history.MicroOp;
import java.util.ArrayList;
import java.util.List;

/**
 * One read step of an OK transaction with its result: the only reads whose results are known.
 *
 * @param txn the transaction that read
 * @param key the key read
 * @param values the list observed; empty when the key was absent
 */
record ObservedRead(CompletedOp txn, String key, List<Long> values) {

  /** Every read step of every OK transaction, in history order. */
  static List<ObservedRead> of(List<CompletedOp> txns) {
    List<ObservedRead> reads = new ArrayList<>();
    for (CompletedOp txn : txns) {
      if (!txn.isOk()) {
        continue;
      }
      for (MicroOp step : txn.payload().txn()) {
        if (step.isRead()) {
          if (step.read() == null) {
            throw new IllegalArgumentException("OK transaction without the result of its read of " + step.key() + ": " + txn);
          }
          reads.add(new ObservedRead(txn, step.key(), step.read()));
        }
      }
    }
    return reads;
  }
}
