package io.cairn.jepsen.history;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Histories as JSON Lines, one {@link Op} per line, so a run's history can be appended as it happens,
 * survives a crashed runner up to its last line, and can be re-checked later or by other tools. Field
 * names are the record components; absent payload fields are omitted.
 */
public final class HistoryJsonl {

  private static final Gson GSON = new Gson();

  private HistoryJsonl() {}

  /** Writes one line per event. */
  public static void write(List<Op> events, Writer out) throws IOException {
    for (Op event : events) {
      out.write(GSON.toJson(event));
      out.write('\n');
    }
    out.flush();
  }

  /**
   * Reads events back; blank lines are skipped.
   *
   * @throws IllegalArgumentException naming the line when a line is not a valid event
   */
  public static List<Op> read(Reader in) throws IOException {
    List<Op> events = new ArrayList<>();
    BufferedReader lines = new BufferedReader(in);
    String line;
    int number = 0;
    while ((line = lines.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      Op event;
      try {
        event = GSON.fromJson(line, Op.class);
      } catch (JsonParseException e) {
        throw new IllegalArgumentException("history line " + number + " is not valid JSON: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        // Gson reports a record constructor's validation failure wrapped; the cause says what is wrong.
        Throwable reason = e.getCause() == null ? e : e.getCause();
        throw new IllegalArgumentException("history line " + number + " is not a valid event: " + reason.getMessage(), e);
      }
      if (event == null) {
        throw new IllegalArgumentException("history line " + number + " is not an event: " + line);
      }
      events.add(event);
    }
    return events;
  }
}
