package io.cairn.jepsen.history;

/** Compact text for history elements in checker explanations (Elle's notation for steps). */
final class HistoryFormat {

  private HistoryFormat() {}

  /** {@code [:append k 3]} or {@code [:r k [1 2 3]]}. */
  static String microOp(MicroOp m) {
    if (m.isAppend()) {
      return "[:append " + m.key() + " " + m.value() + "]";
    }
    String observed = m.read() == null ? "?" : m.read().toString().replace(",", "");
    return "[:r " + m.key() + " " + observed + "]";
  }
}
