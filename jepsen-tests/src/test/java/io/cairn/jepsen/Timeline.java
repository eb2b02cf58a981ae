package io.cairn.jepsen;

import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.MicroOp;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Test helper that writes hand-made histories as intervals: each call adds an operation's invocation at
 * {@code start} and its completion at {@code end}; {@link #history()} orders the events by time (stable,
 * so an invocation stays before its own completion).
 */
public final class Timeline {

  private final List<Op> events = new ArrayList<>();

  public Timeline write(int process, String key, long value, long start, long end) {
    return add(Op.write(process, OpType.INVOKE, key, value, start), Op.write(process, OpType.OK, key, value, end));
  }

  /** A write that timed out: the client saw INFO at {@code end}. */
  public Timeline writeInfo(int process, String key, long value, long start, long end) {
    return add(Op.write(process, OpType.INVOKE, key, value, start), Op.write(process, OpType.INFO, key, value, end));
  }

  public Timeline read(int process, String key, Long observed, long start, long end) {
    return add(Op.read(process, OpType.INVOKE, key, null, start), Op.read(process, OpType.OK, key, observed, end));
  }

  public Timeline cas(int process, String key, long expected, long value, long start, long end) {
    return add(
        Op.cas(process, OpType.INVOKE, key, expected, value, start),
        Op.cas(process, OpType.OK, key, expected, value, end));
  }

  public Timeline casFailed(int process, String key, long expected, long value, long start, long end) {
    return add(
        Op.cas(process, OpType.INVOKE, key, expected, value, start),
        Op.cas(process, OpType.FAIL, key, expected, value, end));
  }

  public Timeline casInfo(int process, String key, long expected, long value, long start, long end) {
    return add(
        Op.cas(process, OpType.INVOKE, key, expected, value, start),
        Op.cas(process, OpType.INFO, key, expected, value, end));
  }

  /** A transaction; {@code completed} holds the steps with their read results. */
  public Timeline txn(int process, OpType outcome, List<MicroOp> completed, long start, long end) {
    List<MicroOp> invoked =
        completed.stream().map(m -> m.isRead() ? MicroOp.read(m.key()) : m).toList();
    List<MicroOp> reported = outcome == OpType.OK ? completed : invoked;
    return add(Op.txn(process, OpType.INVOKE, invoked, start), Op.txn(process, outcome, reported, end));
  }

  private Timeline add(Op invoke, Op completion) {
    events.add(invoke);
    events.add(completion);
    return this;
  }

  public List<Op> events() {
    List<Op> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(Op::timeNanos));
    return sorted;
  }

  public History history() {
    return History.of(events());
  }
}
