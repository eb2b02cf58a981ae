package io.cairn.jepsen.linearizability;

import java.util.List;

/**
 * The verdict on a history: valid when every key's sub-history is linearizable.
 *
 * @param failures one explanation per non-linearizable key, in key order; empty when valid
 * @param operationsChecked the operations that took part in the search (FAIL operations and
 *     indeterminate reads are left out: they constrain nothing)
 */
public record LinearizabilityResult(List<NonLinearizableKey> failures, int operationsChecked) {

  public LinearizabilityResult {
    failures = List.copyOf(failures);
  }

  public boolean valid() {
    return failures.isEmpty();
  }
}
