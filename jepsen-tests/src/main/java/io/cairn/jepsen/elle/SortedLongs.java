package io.cairn.jepsen.elle;

/**
 * Lower-bound search in an ascending array of times. {@link java.util.Arrays#binarySearch(long[], long)}
 * returns an arbitrary index among equal values; the checkers need the first one, because real-time
 * order is strict ("completed before invoked") and equal times must fall on the right side.
 */
final class SortedLongs {

  private SortedLongs() {}

  /** The first index in [from, to) whose value is >= bound; {@code to} if none. */
  static int firstAtLeast(long[] sorted, long bound, int from, int to) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < bound) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
