package io.cairn.jepsen.linearizability;

import io.cairn.jepsen.history.CompletedOp;
import java.util.Optional;

/**
 * The sequential specification a history is checked against: what state an object starts in and how
 * one operation changes it. States must be immutable values with {@code equals}/{@code hashCode}: the
 * checker memoizes on them.
 *
 * @param <S> the state type
 */
public interface SequentialModel<S> {

  S initialState();

  /**
   * Applies {@code op} to {@code state}.
   *
   * @return the new state, or empty when the sequential object could not have produced the operation's
   *     recorded result from {@code state}
   */
  Optional<S> step(S state, CompletedOp op);
}
