package io.cairn.jepsen.watch;

import io.cairn.jepsen.history.JsonLines;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.List;

/**
 * Watch streams as JSON Lines, one {@link WatcherStream} (what it asked for and every event it
 * received, in order) per line: the {@code watch} workload's evidence beside history.jsonl, so a
 * verdict about a gap or a duplicate can be re-checked from the result directory alone.
 */
public final class WatchStreamsJsonl {

  /** The file name in a run's result directory. */
  public static final String FILE_NAME = "watch-streams.jsonl";

  private static final JsonLines<WatcherStream> LINES = new JsonLines<>(WatcherStream.class, "watch stream");

  private WatchStreamsJsonl() {}

  public static void write(List<WatcherStream> streams, Writer out) throws IOException {
    LINES.write(streams, out);
  }

  /**
   * Reads streams back; blank lines are skipped.
   *
   * @throws IllegalArgumentException naming the line when a line is not a valid stream
   */
  public static List<WatcherStream> read(Reader in) throws IOException {
    return LINES.read(in);
  }
}
