package io.cairn.bench.restart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The start breakdown a Cairn member logs once it has caught up after a start, e.g.
 * {@code start breakdown (ms since exec): main=210 store-open=380 wal-read=395 ... caught-up=520}:
 * each step's time in milliseconds since the process was executed. etcd logs no such line.
 */
record StartBreakdown(Map<String, Long> millisSinceExec, String detail) {
  /** The steps, in the order the server reaches them, as the server names them. */
  static final List<String> STEPS = List.of(
      "main", "store-open", "wal-read", "raft-ready", "serving", "leader", "replayed", "caught-up");

  private static final Pattern LINE =
      Pattern.compile("start breakdown \\(ms since exec\\): ([^(]*)(?:\\((.*)\\))?");
  private static final Pattern STEP = Pattern.compile("([a-z-]+)=(-?\\d+)");

  /** The breakdown in {@code line}, or null if it holds none. */
  static StartBreakdown parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.find()) {
      return null;
    }
    Map<String, Long> steps = new LinkedHashMap<>();
    Matcher step = STEP.matcher(m.group(1));
    while (step.find()) {
      steps.put(step.group(1), Long.parseLong(step.group(2)));
    }
    return new StartBreakdown(Map.copyOf(steps), m.group(2) == null ? "" : m.group(2));
  }

  /** The first breakdown line of a log file, or null if there is none (yet). */
  static StartBreakdown find(Path log) throws IOException {
    if (!Files.exists(log)) {
      return null;
    }
    return Files.readString(log, StandardCharsets.ISO_8859_1).lines()
        .map(StartBreakdown::parse).filter(b -> b != null).findFirst().orElse(null);
  }

  /** Milliseconds since exec at {@code step}, or NaN if the line did not have it. */
  double at(String step) {
    Long v = millisSinceExec.get(step);
    return v == null ? Double.NaN : v;
  }
}
