package io.cairn.jepsen.history;

import java.util.List;
import java.util.Objects;

/**
 * One event of a history, as a client recorded it: the invocation or the completion of an operation.
 * An invocation and its completion share {@code process} and {@code f}; a process has at most one
 * operation outstanding (after an {@link OpType#INFO} completion the workload retires the process).
 *
 * <p>Payload by function: {@code READ} completion carries the value read in {@code value} (null: the
 * key was absent); {@code WRITE} carries the written {@code value}; {@code CAS} carries {@code expected}
 * and the new {@code value}; {@code TXN} carries its {@code txn} steps, with read results filled in on an
 * OK completion.
 *
 * @param process the logical client that performed the operation
 * @param type invocation or one of the three completions
 * @param f the function
 * @param key the register's key (null for TXN)
 * @param value read result, written value or CAS new value
 * @param expected the CAS comparison value (CAS only)
 * @param txn the transaction's steps (TXN only)
 * @param timeNanos monotonic time ({@link System#nanoTime()}) at which the client saw the event
 * @param revision the etcd revision of the response header, or -1 when unknown
 */
public record Op(
    int process,
    OpType type,
    OpFunction f,
    String key,
    Long value,
    Long expected,
    List<MicroOp> txn,
    long timeNanos,
    long revision) {

  /** The revision of an event whose response carried none (invocations, timeouts). */
  public static final long UNKNOWN_REVISION = -1;

  public Op {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(f, "f");
    if (f == OpFunction.TXN) {
      Objects.requireNonNull(txn, "a TXN operation needs its steps");
      txn = List.copyOf(txn);
    } else {
      Objects.requireNonNull(key, "a " + f + " operation needs a key");
    }
    if (f == OpFunction.CAS && expected == null) {
      throw new IllegalArgumentException("a CAS operation needs its expected value");
    }
    if (f == OpFunction.FENCED_WRITE && expected == null) {
      throw new IllegalArgumentException("a FENCED_WRITE operation needs its fencing token");
    }
    if ((f == OpFunction.WRITE || f == OpFunction.CAS || f == OpFunction.FENCED_WRITE) && value == null) {
      throw new IllegalArgumentException("a " + f + " operation needs the value it writes");
    }
  }

  public static Op read(int process, OpType type, String key, Long value, long timeNanos) {
    return new Op(process, type, OpFunction.READ, key, value, null, null, timeNanos, UNKNOWN_REVISION);
  }

  public static Op write(int process, OpType type, String key, long value, long timeNanos) {
    return new Op(process, type, OpFunction.WRITE, key, value, null, null, timeNanos, UNKNOWN_REVISION);
  }

  public static Op cas(int process, OpType type, String key, long expected, long value, long timeNanos) {
    return new Op(process, type, OpFunction.CAS, key, value, expected, null, timeNanos, UNKNOWN_REVISION);
  }

  public static Op txn(int process, OpType type, List<MicroOp> steps, long timeNanos) {
    return new Op(process, type, OpFunction.TXN, null, null, null, steps, timeNanos, UNKNOWN_REVISION);
  }

  /** This event with the revision the server reported. */
  public Op withRevision(long newRevision) {
    return new Op(process, type, f, key, value, expected, txn, timeNanos, newRevision);
  }
}
