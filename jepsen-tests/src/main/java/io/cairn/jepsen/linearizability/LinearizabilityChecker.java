package io.cairn.jepsen.linearizability;

import io.cairn.jepsen.history.CompletedOp;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.OpFunction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks that a history of single-key operations is linearizable, key by key (linearizability is
 * compositional, so per-key sub-histories can be checked alone, which keeps the search small).
 *
 * <p>The search is Wing and Gong's, with Lowe's memoization: walk the call/return events in time order;
 * at a call, try to linearize that operation now (the model accepts its result); at a return whose
 * operation is not yet linearized, backtrack. A configuration (set of linearized operations, model
 * state) that was already explored is never explored again, which turns the exponential search into
 * one bounded by the reachable configurations: small for real histories with a handful of concurrent
 * clients.
 *
 * <p>Indeterminate operations (INFO, or never completed) get a return at the end of time: they may
 * linearize at any point after their invocation, and the history is accepted once every definite
 * operation is linearized, so they may also never take effect. FAIL operations did not take effect and
 * indeterminate reads return nothing; both are left out. An indeterminate write or CAS whose value no
 * read and no CAS ever observed is left out too: whether it took effect or not, nothing in the history
 * can tell, so dropping it changes no verdict, and each such operation would otherwise stay open to the
 * end of time and double the configurations to explore.
 */
public final class LinearizabilityChecker<S> {

  /** How many reachable states an explanation lists at most. */
  private static final int MAX_STATES_IN_EXPLANATION = 16;

  /**
   * Memoized configurations per key before the search gives up on that key (about 100 bytes each for a
   * few hundred operations, so the default stays near 100 MB).
   */
  public static final int DEFAULT_MAX_CONFIGURATIONS = 1_000_000;

  private final SequentialModel<S> model;
  /** The search budget per key; a key that needs more is reported undecided, never valid. */
  private final int maxConfigurations;

  public LinearizabilityChecker(SequentialModel<S> model, int maxConfigurations) {
    if (maxConfigurations < 1) {
      throw new IllegalArgumentException("the search budget must be positive, got " + maxConfigurations);
    }
    this.model = model;
    this.maxConfigurations = maxConfigurations;
  }

  /** A checker for the {@code register} workload with the default budget. */
  public static LinearizabilityChecker<RegisterModel.State> forRegisters() {
    return new LinearizabilityChecker<>(new RegisterModel(), DEFAULT_MAX_CONFIGURATIONS);
  }

  public LinearizabilityResult check(History history) {
    Map<String, Set<Long>> observed = new HashMap<>();
    for (CompletedOp op : history.operations()) {
      if (op.f() == OpFunction.TXN) {
        throw new IllegalArgumentException("the linearizability checker takes single-key operations, not " + op);
      }
      Set<Long> seen = observed.computeIfAbsent(op.invoke().key(), k -> new HashSet<>());
      if (op.f() == OpFunction.READ && op.isOk()) {
        seen.add(op.payload().value());
      } else if (op.f() == OpFunction.CAS && op.isOk()) {
        seen.add(op.payload().expected());
      }
    }
    Map<String, List<CompletedOp>> byKey = new TreeMap<>();
    int checked = 0;
    for (CompletedOp op : history.operations()) {
      if (op.isFail() || (op.isIndeterminate() && op.f() == OpFunction.READ)) {
        continue;
      }
      if (op.isIndeterminate() && !observed.get(op.invoke().key()).contains(op.payload().value())) {
        continue;
      }
      byKey.computeIfAbsent(op.invoke().key(), k -> new ArrayList<>()).add(op);
      checked++;
    }
    List<NonLinearizableKey> failures = new ArrayList<>();
    List<String> undecided = new ArrayList<>();
    for (Map.Entry<String, List<CompletedOp>> e : byKey.entrySet()) {
      KeyVerdict verdict = checkKey(e.getKey(), e.getValue());
      verdict.failure().ifPresent(failures::add);
      if (verdict.outOfBudget()) {
        undecided.add(e.getKey());
      }
    }
    return new LinearizabilityResult(failures, undecided, checked);
  }

  /** A memoized configuration: which operations are linearized, and the state they leave. */
  private record Configuration(BitSet linearized, Object state) {}

  /** A linearization decision to undo on backtrack: the call entry and the state before it. */
  private record Decision<S>(SearchEntry call, S stateBefore) {}

  /** One key's outcome: a failure, or out of budget (undecided), or neither (linearizable). */
  private record KeyVerdict(Optional<NonLinearizableKey> failure, boolean outOfBudget) {
    static final KeyVerdict LINEARIZABLE = new KeyVerdict(Optional.empty(), false);
    static final KeyVerdict UNDECIDED = new KeyVerdict(Optional.empty(), true);
  }

  private KeyVerdict checkKey(String key, List<CompletedOp> ops) {
    SearchEntry head = buildEventList(ops);
    int definiteRemaining = (int) ops.stream().filter(CompletedOp::isOk).count();
    Set<Configuration> explored = new HashSet<>();
    Deque<Decision<S>> decisions = new ArrayDeque<>();
    BitSet linearized = new BitSet(ops.size());
    S state = model.initialState();

    int deepestBlockedPosition = -1;
    CompletedOp deepestBlocked = null;
    int deepestLinearized = 0;
    Set<Object> statesBeforeDeepest = new LinkedHashSet<>();

    SearchEntry entry = head.next;
    while (definiteRemaining > 0) {
      if (entry.isCall()) {
        Optional<S> next = model.step(state, entry.op);
        if (next.isPresent()) {
          BitSet after = (BitSet) linearized.clone();
          after.set(entry.bit);
          if (explored.add(new Configuration(after, next.get()))) {
            if (explored.size() > maxConfigurations) {
              return KeyVerdict.UNDECIDED;
            }
            decisions.push(new Decision<>(entry, state));
            state = next.get();
            linearized.set(entry.bit);
            if (entry.op.isOk()) {
              definiteRemaining--;
            }
            entry.lift();
            entry = head.next;
            continue;
          }
        }
        entry = entry.next;
      } else {
        // A return whose operation is not linearized: no way forward from here.
        if (entry.position > deepestBlockedPosition) {
          deepestBlockedPosition = entry.position;
          deepestBlocked = entry.op;
          deepestLinearized = linearized.cardinality();
          statesBeforeDeepest.clear();
        }
        if (entry.position == deepestBlockedPosition && statesBeforeDeepest.size() < MAX_STATES_IN_EXPLANATION) {
          statesBeforeDeepest.add(state);
        }
        if (decisions.isEmpty()) {
          return new KeyVerdict(
              Optional.of(new NonLinearizableKey(key, deepestBlocked, List.copyOf(statesBeforeDeepest), deepestLinearized)),
              false);
        }
        Decision<S> undo = decisions.pop();
        entry = undo.call();
        state = undo.stateBefore();
        linearized.clear(entry.bit);
        if (entry.op.isOk()) {
          definiteRemaining++;
        }
        entry.unlift();
        entry = entry.next;
      }
    }
    return KeyVerdict.LINEARIZABLE;
  }

  /**
   * Builds the time-ordered list of call and return events behind a sentinel head. At equal times calls
   * sort before returns, so operations that touch at one instant count as concurrent (the permissive
   * reading of a clock that cannot tell them apart).
   */
  private static SearchEntry buildEventList(List<CompletedOp> ops) {
    record Event(SearchEntry entry, long time, boolean call) {}
    List<Event> events = new ArrayList<>(ops.size() * 2);
    for (int bit = 0; bit < ops.size(); bit++) {
      CompletedOp op = ops.get(bit);
      SearchEntry call = new SearchEntry(bit, op);
      SearchEntry ret = new SearchEntry(bit, op);
      call.match = ret;
      events.add(new Event(call, op.start(), true));
      events.add(new Event(ret, op.end(), false));
    }
    events.sort(Comparator.comparingLong(Event::time).thenComparing(ev -> !ev.call()));
    SearchEntry head = new SearchEntry(-1, null);
    SearchEntry last = head;
    for (int i = 0; i < events.size(); i++) {
      SearchEntry e = events.get(i).entry();
      e.position = i;
      e.prev = last;
      last.next = e;
      last = e;
    }
    return head;
  }
}
