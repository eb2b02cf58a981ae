package io.cairn.jepsen.lock;

/** The ways a fenced-lock history can be wrong. */
public enum LockAnomalyType {
  /** An applied fenced write whose writer's lock key was absent, or not the oldest, at the write's revision. */
  UNFENCED_WRITE,
  /** The resource's history has a write with a smaller token right after one with a larger token. */
  TOKEN_BACKWARDS,
  /** An acknowledged fenced write is not in the resource's history. */
  LOST_WRITE,
  /** A value in the resource's history that no client wrote (or not with that token, writer or lock key). */
  UNKNOWN_WRITE,
  /** A write whose fence was refused (compare failed) is in the resource's history anyway. */
  REFUSED_WRITE_APPLIED,
  /** One write appears at two revisions, or at another revision than its acknowledgement reported. */
  MISPLACED_WRITE,
  /**
   * Fenced writes of two tenures acknowledged in an order the tokens forbid: the older token's write
   * was invoked after the newer token's write was acknowledged, or applied at a later revision.
   */
  STALE_HOLDER_WRITE,
  /** The read-back of the resource's history is not a complete chain of versions 1..n. */
  INCOMPLETE_READ_BACK
}
