package io.cairn.jepsen.linearizability;

import io.cairn.jepsen.history.CompletedOp;
import java.util.List;

/**
 * The explanation for one key whose sub-history is not linearizable: the furthest the search got.
 *
 * @param key the key
 * @param op the operation that could not be linearized before its completion, whatever order was
 *     chosen for the operations before and concurrent with it
 * @param statesBefore the model states the search reached just before giving up on {@code op} (a
 *     sample when there are many); {@code op} cannot be applied to any of them
 * @param linearizedBefore the number of operations linearized in the deepest attempt
 */
public record NonLinearizableKey(String key, CompletedOp op, List<Object> statesBefore, int linearizedBefore) {

  @Override
  public String toString() {
    return "key " + key + ": " + op + " cannot be linearized; states reachable just before it: " + statesBefore
        + " (after " + linearizedBefore + " operations)";
  }
}
