package io.cairn.bench.compare;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one raw result file of the comparison is: {@code <target>__m<members>__<label>__r<run>.json}
 * as written by {@code bench/compare.sh}, e.g. {@code cairn__m3__put-100c__r2.json}.
 */
public record RunKey(String target, int members, String label, int run) {
  private static final Pattern NAME =
      Pattern.compile("([a-z0-9]+)__m(\\d+)__([A-Za-z0-9_.-]+?)__r(\\d+)\\.json");

  /** Parses a file name; throws IllegalArgumentException for anything else. */
  public static RunKey parse(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a comparison result file name: " + file
          + " (expected <target>__m<members>__<label>__r<run>.json)");
    }
    return new RunKey(m.group(1), Integer.parseInt(m.group(2)), m.group(3),
        Integer.parseInt(m.group(4)));
  }

  /** The scenario row this run belongs to, e.g. "3 members: put-100c". */
  public String row() {
    return members + (members == 1 ? " member: " : " members: ") + label;
  }
}
