package io.cairn.server.lease;

/**
 * Server-chosen lease ids, as etcd makes them from its request id generator: the member id's low
 * 16 bits on top, then a start timestamp in milliseconds and a counter, made positive. Ids from two
 * members differ in their top bits; ids from one member increase, also across restarts (the clock
 * moved on). A collision with a client-chosen id is still possible; the grant then fails with
 * LEASE_EXISTS, as in etcd.
 */
public final class LeaseIds {
  private static final long SUFFIX_MASK = (1L << 48) - 1;

  private final long prefix;
  /** Next suffix; starts at the start time in ms shifted by 8 bits. Guarded by this. */
  private long next;

  public LeaseIds(long memberId, long startMillis) {
    this.prefix = (memberId & 0xffffL) << 48;
    this.next = (startMillis << 8) & SUFFIX_MASK;
  }

  /** A new positive, non-zero id. */
  public synchronized long next() {
    while (true) {
      next = (next + 1) & SUFFIX_MASK;
      long id = (prefix | next) & Long.MAX_VALUE;
      if (id != 0) {
        return id;
      }
    }
  }
}
