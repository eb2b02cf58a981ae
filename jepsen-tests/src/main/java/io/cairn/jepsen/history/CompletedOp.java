package io.cairn.jepsen.history;

import java.util.Objects;

/**
 * An operation seen whole: its invocation paired with its completion. The checkers work on these
 * rather than on raw events because real-time order is defined between operations: A precedes B when
 * A completed before B was invoked.
 *
 * @param id the operation's position among the history's operations (dense, from 0, in invocation
 *     order); stable, so checkers can name operations in explanations
 * @param invoke the invocation event
 * @param completion the completion event, or null when the history ended with the operation still
 *     outstanding (treated exactly like {@link OpType#INFO})
 */
public record CompletedOp(int id, Op invoke, Op completion) {

  /** The end of an operation that never completed definitely: it may take effect at any later time. */
  public static final long NEVER = Long.MAX_VALUE;

  public CompletedOp {
    Objects.requireNonNull(invoke, "invoke");
    if (invoke.type() != OpType.INVOKE) {
      throw new IllegalArgumentException("operation " + id + " starts with " + invoke.type() + ", not INVOKE");
    }
    if (completion != null && completion.type() == OpType.INVOKE) {
      throw new IllegalArgumentException("operation " + id + " completes with an INVOKE");
    }
    if (completion != null && completion.timeNanos() < invoke.timeNanos()) {
      throw new IllegalArgumentException("operation " + id + " completes before it was invoked");
    }
  }

  /** OK, FAIL, or INFO (also for an operation that never completed). */
  public OpType type() {
    return completion == null ? OpType.INFO : completion.type();
  }

  public int process() {
    return invoke.process();
  }

  public OpFunction f() {
    return invoke.f();
  }

  public long start() {
    return invoke.timeNanos();
  }

  /** Completion time for OK and FAIL; {@link #NEVER} for an indeterminate operation. */
  public long end() {
    OpType type = type();
    return type == OpType.OK || type == OpType.FAIL ? completion.timeNanos() : NEVER;
  }

  /** The event carrying the best-known payload: the OK completion, else the invocation. */
  public Op payload() {
    return type() == OpType.OK ? completion : invoke;
  }

  public boolean isOk() {
    return type() == OpType.OK;
  }

  public boolean isFail() {
    return type() == OpType.FAIL;
  }

  public boolean isIndeterminate() {
    return type() == OpType.INFO;
  }

  /** A short human-readable form for explanations. */
  @Override
  public String toString() {
    Op p = payload();
    String what =
        switch (p.f()) {
          case READ -> "read " + p.key() + " -> " + (isOk() ? p.value() : "?");
          case WRITE -> "write " + p.key() + " := " + p.value();
          case CAS -> "cas " + p.key() + " " + p.expected() + " -> " + p.value();
          case TXN -> "txn " + p.txn().stream().map(HistoryFormat::microOp).toList();
          case GRANT -> "grant lease for " + p.key() + (isOk() ? " ttl " + p.value() + " s" : "");
          case ACQUIRE -> "acquire " + p.key() + (isOk() ? " token " + p.value() : "");
          case FENCED_WRITE -> "fenced write " + p.key() + " := w" + p.value() + " token " + p.expected();
          case RELEASE -> "release " + p.key() + " token " + p.value();
        };
    String endText = end() == NEVER ? "?" : Long.toString(end());
    return "op " + id + " [p" + process() + " " + type() + " " + what + " @" + start() + ".." + endText + "]";
  }
}
