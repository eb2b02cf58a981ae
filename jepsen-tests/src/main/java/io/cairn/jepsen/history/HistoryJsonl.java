package io.cairn.jepsen.history;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.List;

/**
 * Histories as JSON Lines, one {@link Op} per line, so a run's history can be appended as it happens,
 * survives a crashed runner up to its last line, and can be re-checked later or by other tools. Field
 * names are the record components; absent payload fields are omitted.
 */
public final class HistoryJsonl {

  private static final JsonLines<Op> LINES = new JsonLines<>(Op.class, "history");

  private HistoryJsonl() {}

  /** Writes one line per event. */
  public static void write(List<Op> events, Writer out) throws IOException {
    LINES.write(events, out);
  }

  /**
   * Reads events back; blank lines are skipped.
   *
   * @throws IllegalArgumentException naming the line when a line is not a valid event
   */
  public static List<Op> read(Reader in) throws IOException {
    return LINES.read(in);
  }
}
