package io.cairn.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written the way etcd's flags take them (Go's {@code time.ParseDuration}):
 * a sequence of decimal numbers with units, e.g. {@code 10m}, {@code 1h30m}, {@code 250ms},
 * {@code 1.5s}. Deployment manifests written for etcd must keep working, so the syntax is Go's,
 * not ISO-8601.
 */
public final class GoDuration {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  public static Duration parse(String flag, String text) {
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(text);
    int pos = 0;
    double nanos = 0;
    while (pos < text.length() && m.find(pos) && m.start() == pos) {
      nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
      pos = m.end();
    }
    if (pos == 0 || pos != text.length()) {
      throw new ConfigException(flag, "'" + text + "' is not a duration (examples: 500ms, 10s, 10m, 1h)");
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      case "h" -> 3_600_000_000_000L;
      default -> throw new IllegalArgumentException(unit);
    };
  }
}
