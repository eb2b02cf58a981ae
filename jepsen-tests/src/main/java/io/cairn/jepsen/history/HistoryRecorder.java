package io.cairn.jepsen.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the events of a run as clients observe them, in the order they observe them. Invocation
 * time is taken just before the request is sent and completion time just after the answer arrived,
 * so an operation's interval always covers the moment it took effect.
 */
public final class HistoryRecorder {

  /** All events so far, in recording order. Guarded by this. */
  private final List<Op> events = new ArrayList<>();
  /** Each process's latest completion type. Guarded by this. */
  private final Map<Integer, OpType> lastCompletion = new HashMap<>();

  public synchronized void record(Op event) {
    events.add(event);
    if (event.type() != OpType.INVOKE) {
      lastCompletion.put(event.process(), event.type());
    }
  }

  /** Whether the process's latest operation completed OK (the runner backs off after failures). */
  public synchronized boolean lastWasOk(int process) {
    return lastCompletion.get(process) == OpType.OK;
  }

  /** A copy of the events recorded so far. */
  public synchronized List<Op> events() {
    return List.copyOf(events);
  }
}
