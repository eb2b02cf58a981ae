package io.cairn.jepsen.history;

/**
 * What one history event says about an operation. Every operation starts with {@link #INVOKE}; it then
 * completes with {@link #OK} (took effect, result known), {@link #FAIL} (certainly did not take effect)
 * or {@link #INFO} (indeterminate: a timeout or a lost connection, so it may or may not have taken
 * effect, at any time after its invocation). Keeping the three apart is what lets the checkers be
 * strict about acknowledged operations and lenient only where the client truly cannot know.
 */
public enum OpType {
  INVOKE,
  OK,
  FAIL,
  INFO
}
