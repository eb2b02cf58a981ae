package io.cairn.jepsen.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A recorded history: events in the order the clients observed them, and the same history as whole
 * operations. Construction validates the shape a correct client produces (each process alternates
 * invoke / completion for the same function) so a broken recorder fails here, loudly, rather than
 * making a checker report nonsense.
 */
public final class History {

  /** The events as recorded; never modified. */
  private final List<Op> events;
  /** One entry per invocation, in invocation order; ids equal list positions. */
  private final List<CompletedOp> operations;

  private History(List<Op> events, List<CompletedOp> operations) {
    this.events = events;
    this.operations = operations;
  }

  /**
   * Pairs each invocation with the next event of the same process.
   *
   * @throws IllegalArgumentException if a completion has no outstanding invocation, a process invokes
   *     twice without completing, or a completion's function differs from its invocation's
   */
  public static History of(List<Op> events) {
    List<Op> copy = List.copyOf(events);
    List<Op> invocations = new ArrayList<>();
    List<Op> completions = new ArrayList<>();
    Map<Integer, Integer> outstanding = new HashMap<>();
    for (int i = 0; i < copy.size(); i++) {
      Op event = copy.get(i);
      Integer pending = outstanding.get(event.process());
      if (event.type() == OpType.INVOKE) {
        if (pending != null) {
          throw new IllegalArgumentException(
              "event " + i + ": process " + event.process() + " invokes while operation " + pending + " is outstanding");
        }
        outstanding.put(event.process(), invocations.size());
        invocations.add(event);
        completions.add(null);
      } else {
        if (pending == null) {
          throw new IllegalArgumentException(
              "event " + i + ": process " + event.process() + " completes " + event.type() + " with nothing outstanding");
        }
        if (invocations.get(pending).f() != event.f()) {
          throw new IllegalArgumentException(
              "event " + i + ": " + event.f() + " completes a " + invocations.get(pending).f() + " invocation");
        }
        completions.set(pending, event);
        outstanding.remove(event.process());
      }
    }
    List<CompletedOp> operations = new ArrayList<>(invocations.size());
    for (int id = 0; id < invocations.size(); id++) {
      operations.add(new CompletedOp(id, invocations.get(id), completions.get(id)));
    }
    return new History(copy, List.copyOf(operations));
  }

  public List<Op> events() {
    return events;
  }

  public List<CompletedOp> operations() {
    return operations;
  }
}
