package io.cairn.server.member;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids unique to this member across restarts, without persisting anything: the top 16 bits
 * are the member id's low bits, the next 40 bits are the start time in milliseconds, and the low
 * bits count up from there (as etcd's idutil does). Two members never collide because a proposer
 * only ever looks up ids it issued itself.
 */
final class RequestIds {
  private final AtomicLong next;

  RequestIds(long memberId, long startMillis) {
    long prefix = (memberId & 0xFFFFL) << 48;
    long time = (startMillis & ((1L << 40) - 1)) << 8;
    this.next = new AtomicLong(prefix | time);
  }

  long next() {
    return next.incrementAndGet();
  }
}
