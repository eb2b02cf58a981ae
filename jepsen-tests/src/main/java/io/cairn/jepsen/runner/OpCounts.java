package io.cairn.jepsen.runner;

import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpType;
import java.util.List;
import java.util.function.Predicate;

/**
 * How many operations of a history were invoked and how each completed.
 *
 * @param invoked invocations
 * @param ok completions that took effect with a known result
 * @param fail completions that certainly did not take effect
 * @param info indeterminate completions
 */
record OpCounts(int invoked, int ok, int fail, int info) {

  /** Counts the events of {@code events} that {@code which} accepts. */
  static OpCounts of(List<Op> events, Predicate<Op> which) {
    int invoked = 0;
    int ok = 0;
    int fail = 0;
    int info = 0;
    for (Op e : events) {
      if (!which.test(e)) {
        continue;
      }
      switch (e.type()) {
        case INVOKE -> invoked++;
        case OK -> ok++;
        case FAIL -> fail++;
        case INFO -> info++;
      }
    }
    return new OpCounts(invoked, ok, fail, info);
  }

  /** "N invoked, N ok, N fail, N info" (the form jepsen-tests/summarize-results parses). */
  @Override
  public String toString() {
    return invoked + " invoked, " + ok + " ok, " + fail + " fail, " + info + " info";
  }
}
