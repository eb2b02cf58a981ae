package io.cairn.jepsen.linearizability;

import java.util.List;

/**
 * The verdict on a history: valid only when every key's sub-history was shown linearizable. A key whose
 * search ran out of budget is undecided, which is not valid: a checker that cannot tell must not pass.
 *
 * @param failures one explanation per non-linearizable key, in key order
 * @param undecidedKeys keys whose search exceeded the checker's budget, in key order
 * @param operationsChecked the operations that took part in the search (FAIL operations, indeterminate
 *     reads and unobserved indeterminate writes are left out: they constrain nothing)
 */
public record LinearizabilityResult(List<NonLinearizableKey> failures, List<String> undecidedKeys, int operationsChecked) {

  public LinearizabilityResult {
    failures = List.copyOf(failures);
    undecidedKeys = List.copyOf(undecidedKeys);
  }

  public boolean valid() {
    return failures.isEmpty() && undecidedKeys.isEmpty();
  }
}
