package io.cairn.jepsen.history;

import java.util.List;
import java.util.Objects;

/**
 * One step of a list-append transaction: append {@code value} to the list at {@code key}, or read the
 * whole list at {@code key}. A read's {@code read} is null until the transaction completed OK (the
 * invocation does not know it); an empty list means the key was absent.
 *
 * @param kind append or read
 * @param key the list's key
 * @param value the appended element (appends only); unique per key across a history
 * @param read the list observed (reads only); null when unknown
 */
public record MicroOp(Kind kind, String key, Long value, List<Long> read) {

  /** The two kinds of step. */
  public enum Kind {
    APPEND,
    READ
  }

  public MicroOp {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(key, "key");
    if (kind == Kind.APPEND && value == null) {
      throw new IllegalArgumentException("an append of key " + key + " needs a value");
    }
    read = read == null ? null : List.copyOf(read);
  }

  public static MicroOp append(String key, long value) {
    return new MicroOp(Kind.APPEND, key, value, null);
  }

  /** A read whose result is not known yet (an invocation, or an indeterminate completion). */
  public static MicroOp read(String key) {
    return new MicroOp(Kind.READ, key, null, null);
  }

  public static MicroOp read(String key, List<Long> observed) {
    return new MicroOp(Kind.READ, key, null, Objects.requireNonNull(observed, "observed"));
  }

  public boolean isAppend() {
    return kind == Kind.APPEND;
  }

  public boolean isRead() {
    return kind == Kind.READ;
  }
}
