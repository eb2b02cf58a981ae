package io.cairn.jepsen.linearizability;

import io.cairn.jepsen.history.CompletedOp;

/**
 * A node of the doubly linked list of call and return events the search walks. Linearizing an
 * operation unlinks its call and return ({@link #lift}); backtracking relinks them ({@link #unlift}).
 * Relinking is exact because it happens in the reverse order of unlinking.
 */
final class SearchEntry {

  /** The operation's bit in the linearized set; equal for a call and its return. */
  final int bit;
  /** The operation this event belongs to. */
  final CompletedOp op;
  /** For a call: its return entry. Null for a return entry. */
  SearchEntry match;
  /** Position in time order; a larger position means a later event. */
  int position;
  SearchEntry prev;
  SearchEntry next;

  SearchEntry(int bit, CompletedOp op) {
    this.bit = bit;
    this.op = op;
  }

  boolean isCall() {
    return match != null;
  }

  /** Unlinks this call entry and its return. */
  void lift() {
    prev.next = next;
    if (next != null) {
      next.prev = prev;
    }
    SearchEntry ret = match;
    ret.prev.next = ret.next;
    if (ret.next != null) {
      ret.next.prev = ret.prev;
    }
  }

  /** Relinks this call entry and its return where they were. */
  void unlift() {
    SearchEntry ret = match;
    ret.prev.next = ret;
    if (ret.next != null) {
      ret.next.prev = ret;
    }
    prev.next = this;
    if (next != null) {
      next.prev = this;
    }
  }
}
