package io.cairn.jepsen.lock;

/**
 * One client's belief that it holds the lock: from its acquisition's acknowledgement until it begins
 * to release (or until its last operation under that token ended, when it never released: a refused
 * fenced write, or the client was retired).
 *
 * @param process the client
 * @param token the fencing token it acquired
 * @param lockKey its lock key
 * @param start when the acquisition was acknowledged ({@link System#nanoTime()})
 * @param end when the belief ended, as above
 */
record Tenure(int process, long token, String lockKey, long start, long end) {

  boolean overlaps(Tenure other) {
    return start < other.end && other.start < end;
  }

  @Override
  public String toString() {
    return "p" + process + " token " + token + " (" + lockKey + ")";
  }
}
