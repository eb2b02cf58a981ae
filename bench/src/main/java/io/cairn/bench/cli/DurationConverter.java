package io.cairn.bench.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way etcd's tools write them: {@code 500ms}, {@code 10s}, {@code 2m},
 * {@code 1h}, or an ISO-8601 duration such as {@code PT10S}.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  @Override
  public Duration convert(String text) {
    Matcher m = SIMPLE.matcher(text.trim());
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      double millis = switch (m.group(2)) {
        case "ms" -> amount;
        case "s" -> amount * 1_000;
        case "m" -> amount * 60_000;
        default -> amount * 3_600_000;
      };
      return Duration.ofNanos(Math.round(millis * 1_000_000));
    }
    try {
      return Duration.parse(text.trim());
    } catch (RuntimeException e) {
      throw new TypeConversionException(
          "'" + text + "' is not a duration (expected e.g. 500ms, 10s, 2m, 1h or PT10S)");
    }
  }
}
