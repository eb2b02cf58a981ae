package io.cairn.jepsen.elle;

/**
 * Why one transaction must come before another in any serial order consistent with the history. The
 * declaration order is the preference when two transactions are linked for several reasons: an
 * explanation names the most telling one.
 */
public enum EdgeKind {
  /** Write-write: T1 appended the version of a key that T2's append directly follows. */
  WW,
  /** Write-read: T2 read a list whose last element T1 appended. */
  WR,
  /** Read-write (anti-dependency): T1 read a list that T2's append directly extends. */
  RW,
  /** Process order: the same client ran T1, then T2. */
  PROCESS,
  /** Real-time order: T1 completed before T2 was invoked (strict serializability). */
  REALTIME
}
