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
 * JSON Lines of records with Gson: one record per line, field names the record components, absent
 * (null) fields omitted. Reading validates each line through the record's constructor and names the
 * line that is wrong.
 *
 * @param <T> the record type
 */
public final class JsonLines<T> {

  private static final Gson GSON = new Gson();

  private final Class<T> type;
  /** What a line holds, for error messages ("history", "watch stream"). */
  private final String what;

  public JsonLines(Class<T> type, String what) {
    this.type = type;
    this.what = what;
  }

  /** Writes one line per record. */
  public void write(List<? extends T> records, Writer out) throws IOException {
    for (T record : records) {
      out.write(GSON.toJson(record));
      out.write('\n');
    }
    out.flush();
  }

  /**
   * Reads records back; blank lines are skipped.
   *
   * @throws IllegalArgumentException naming the line when a line is not a valid record
   */
  public List<T> read(Reader in) throws IOException {
    List<T> records = new ArrayList<>();
    BufferedReader lines = new BufferedReader(in);
    String line;
    int number = 0;
    while ((line = lines.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      T record;
      try {
        record = GSON.fromJson(line, type);
      } catch (JsonParseException e) {
        throw new IllegalArgumentException(what + " line " + number + " is not valid JSON: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        // Gson reports a record constructor's validation failure wrapped; the cause says what is wrong.
        Throwable reason = e.getCause() == null ? e : e.getCause();
        throw new IllegalArgumentException(what + " line " + number + " is not valid: " + reason.getMessage(), e);
      }
      if (record == null) {
        throw new IllegalArgumentException(what + " line " + number + " is empty: " + line);
      }
      records.add(record);
    }
    return records;
  }
}
