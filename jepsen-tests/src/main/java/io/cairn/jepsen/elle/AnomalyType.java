package io.cairn.jepsen.elle;

/**
 * The anomalies the list-append checker reports, after Adya's taxonomy as Elle uses it. Cycle anomalies
 * are named by the dependency edges they need: the {@code _REALTIME} variants are cycles that exist
 * only once real-time or process order is added, so they violate strict serializability while the
 * history may still be serializable.
 */
public enum AnomalyType {
  /** Write cycle: ww edges only. */
  G0,
  /** Aborted read: a read observed an append of a transaction that failed. */
  G1A,
  /** Intermediate read: a read observed a transaction's append that the same transaction later followed. */
  G1B,
  /** Circular information flow: a cycle of ww and wr edges. */
  G1C,
  /** A cycle with exactly one rw edge (read skew, lost update). */
  G_SINGLE,
  /** A cycle with two or more rw edges (write skew). */
  G2,
  G0_REALTIME,
  G1C_REALTIME,
  G_SINGLE_REALTIME,
  G2_REALTIME,
  /** A transaction's read contradicting its own earlier read or appends of the same key. */
  INTERNAL,
  /** Two reads of one key that are not prefixes of one another: no single version order explains them. */
  INCOMPATIBLE_ORDER,
  /** A read in which one element appears more than once. */
  DUPLICATE_ELEMENTS,
  /** A read containing an element no transaction ever appended to that key. */
  GARBAGE_READ,
  /** An acknowledged append missing from a read of its key invoked after the append completed. */
  LOST_APPEND
}
