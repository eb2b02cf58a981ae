package io.cairn.jepsen.linearizability;

import io.cairn.jepsen.history.CompletedOp;
import java.util.Objects;
import java.util.Optional;

/**
 * A single-key register, the {@code register} workload's object: read returns the current value (null
 * when the key is absent), write sets it, compare-and-set sets it only if it equals the expected value.
 * A CAS whose comparison failed is recorded by the workload as FAIL and never reaches the model.
 */
public final class RegisterModel implements SequentialModel<RegisterModel.State> {

  /**
   * The register's content.
   *
   * @param value the current value; null when the key does not exist
   */
  public record State(Long value) {
    @Override
    public String toString() {
      return value == null ? "absent" : value.toString();
    }
  }

  /** The state of a key nobody has written. */
  private static final State ABSENT = new State(null);

  @Override
  public State initialState() {
    return ABSENT;
  }

  @Override
  public Optional<State> step(State state, CompletedOp op) {
    var p = op.payload();
    return switch (op.f()) {
      case READ -> Objects.equals(state.value(), p.value()) ? Optional.of(state) : Optional.empty();
      case WRITE -> Optional.of(new State(p.value()));
      case CAS -> Objects.equals(state.value(), p.expected()) ? Optional.of(new State(p.value())) : Optional.empty();
      case TXN, GRANT, ACQUIRE, FENCED_WRITE, RELEASE -> throw new IllegalArgumentException("a register has no " + op.f() + " operations: " + op);
    };
  }
}
