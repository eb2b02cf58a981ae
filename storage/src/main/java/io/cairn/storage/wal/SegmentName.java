package io.cairn.storage.wal;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A segment file's name: {@code <sequence>-<firstIndex>.wal}, both 16 hex digits, so names sort in
 * log order and a directory listing shows which indexes each file starts at.
 *
 * @param sequence position of the segment in the log, starting at 1, with no gaps between segments
 * @param firstIndex the log index the next entry was expected at when the segment was started; every
 *     entry in earlier segments has a lower index
 */
record SegmentName(long sequence, long firstIndex) {
  static final String SUFFIX = ".wal";
  private static final Pattern PATTERN = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.wal");

  String fileName() {
    return String.format("%016x-%016x%s", sequence, firstIndex, SUFFIX);
  }

  /** Parses a segment file name, or returns null when the file is not a segment. */
  static SegmentName parse(Path file) {
    Matcher m = PATTERN.matcher(file.getFileName().toString());
    if (!m.matches()) {
      return null;
    }
    return new SegmentName(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16));
  }
}
