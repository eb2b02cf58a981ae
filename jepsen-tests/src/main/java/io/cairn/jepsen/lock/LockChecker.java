package io.cairn.jepsen.lock;

import io.cairn.jepsen.history.CompletedOp;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.OpFunction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Checks a {@code lock} run: the clients' history (acquisitions, fenced writes, releases) against the
 * resource key's complete history read back after the run, each version with the lock prefix's keys
 * at its revision.
 *
 * <p>A fenced write compares its lock key's create_revision with its token, so the store must only
 * apply it while that key exists; the recipe only lets a client believe it holds the lock once its key
 * is the oldest under the prefix, so every applied write's key must also be the oldest then (a client
 * that lost its lease loses its key, and with it the right to write). From that follow the checks:
 * every applied write was fenced by the lock held at its revision; tokens never go backwards along the
 * resource's history; the resource's history holds exactly the acknowledged writes (plus perhaps some
 * indeterminate ones, never a refused one) at the revisions acknowledged; and no write with an older
 * token is applied after a newer token's write was acknowledged or applied.
 */
public final class LockChecker {

  /** Checks {@code history} against the resource's {@code versions}, oldest first. */
  public LockCheckResult check(History history, List<ResourceVersion> versions) {
    Map<Long, CompletedOp> writes = new HashMap<>();
    List<Tenure> tenures = tenures(history, writes);
    Map<Long, String> lockKeyByToken = new HashMap<>();
    tenures.forEach(t -> lockKeyByToken.put(t.token(), t.lockKey()));
    List<LockAnomaly> anomalies = new ArrayList<>();
    checkChain(versions, anomalies);
    Set<Long> seen = new HashSet<>();
    FencedValue previous = null;
    long previousRevision = 0;
    for (ResourceVersion v : versions) {
      FencedValue value;
      try {
        value = FencedValue.parse(v.value());
      } catch (IllegalArgumentException e) {
        anomalies.add(new LockAnomaly(LockAnomalyType.UNKNOWN_WRITE, "revision " + v.revision() + ": " + e.getMessage()));
        continue;
      }
      checkAgainstClients(v, value, writes.get(value.writeId()), lockKeyByToken, seen, anomalies);
      checkFence(v, value, anomalies);
      if (previous != null && previous.token() > value.token()) {
        anomalies.add(new LockAnomaly(LockAnomalyType.TOKEN_BACKWARDS, "w" + value.writeId() + " by p" + value.process()
            + " with token " + value.token() + " at revision " + v.revision() + " follows w" + previous.writeId() + " by p"
            + previous.process() + " with token " + previous.token() + " at revision " + previousRevision));
      }
      previous = value;
      previousRevision = v.revision();
    }
    List<CompletedOp> acknowledged = writes.values().stream().filter(CompletedOp::isOk)
        .sorted(Comparator.comparingInt(CompletedOp::id)).toList();
    for (CompletedOp w : acknowledged) {
      if (!seen.contains(w.invoke().value())) {
        anomalies.add(new LockAnomaly(LockAnomalyType.LOST_WRITE, w + " was acknowledged at revision "
            + w.completion().revision() + " but is not in the resource's history"));
      }
    }
    Map<Long, Tenure> tenureByToken = new HashMap<>();
    tenures.forEach(t -> tenureByToken.put(t.token(), t));
    staleHolderWrites(acknowledged, CompletedOp::end, CompletedOp::start, "was invoked after", tenureByToken, anomalies);
    staleHolderWrites(acknowledged, w -> w.completion().revision(), w -> w.completion().revision(), "was applied at a later revision than",
        tenureByToken, anomalies);
    return new LockCheckResult(anomalies, summary(history, tenures, versions.size()));
  }

  /** Every acquisition that was acknowledged, with its end; fills {@code writes} by write id. */
  private static List<Tenure> tenures(History history, Map<Long, CompletedOp> writes) {
    Map<Long, CompletedOp> acquisitions = new HashMap<>();
    Map<Long, Long> ends = new HashMap<>();
    for (CompletedOp op : history.operations()) {
      if (op.f() == OpFunction.ACQUIRE && op.isOk()) {
        acquisitions.put(op.completion().value(), op);
        ends.put(op.completion().value(), op.end());
      } else if (op.f() == OpFunction.FENCED_WRITE) {
        if (writes.put(op.invoke().value(), op) != null) {
          throw new IllegalStateException("write id " + op.invoke().value() + " invoked twice: the workload must make them unique");
        }
        ends.merge(op.invoke().expected(), op.end() == CompletedOp.NEVER ? op.start() : op.end(), Math::max);
      } else if (op.f() == OpFunction.RELEASE) {
        ends.merge(op.invoke().value(), op.start(), Math::max);
      }
    }
    List<Tenure> tenures = new ArrayList<>();
    for (CompletedOp a : acquisitions.values()) {
      long token = a.completion().value();
      tenures.add(new Tenure(a.process(), token, a.invoke().key(), a.end(), ends.get(token)));
    }
    tenures.sort(Comparator.comparingLong(Tenure::start));
    return tenures;
  }

  /** The read-back must be versions 1..n of the key at increasing revisions, or the other checks see a partial history. */
  private static void checkChain(List<ResourceVersion> versions, List<LockAnomaly> anomalies) {
    for (int i = 0; i < versions.size(); i++) {
      ResourceVersion v = versions.get(i);
      boolean revisionOrder = i == 0 || versions.get(i - 1).revision() < v.revision();
      if (v.version() != i + 1 || !revisionOrder) {
        anomalies.add(new LockAnomaly(LockAnomalyType.INCOMPLETE_READ_BACK, "the " + (i + 1) + "th version read back is version "
            + v.version() + " at revision " + v.revision() + (revisionOrder ? "" : ", not after the previous one's revision")));
        return;
      }
    }
  }

  /** The version must be a write some client invoked, with that writer, token and lock key, not refused, once, where acknowledged. */
  private static void checkAgainstClients(ResourceVersion v, FencedValue value, CompletedOp op, Map<Long, String> lockKeyByToken,
      Set<Long> seen, List<LockAnomaly> anomalies) {
    String at = " at revision " + v.revision();
    if (op == null) {
      anomalies.add(new LockAnomaly(LockAnomalyType.UNKNOWN_WRITE, "w" + value.writeId() + at + " was never invoked: " + value.render()));
      return;
    }
    String ownLock = lockKeyByToken.get(value.token());
    if (op.process() != value.process() || op.invoke().expected() != value.token()
        || (ownLock != null && !ownLock.equals(value.lockKey()))) {
      anomalies.add(new LockAnomaly(LockAnomalyType.UNKNOWN_WRITE, "\"" + value.render() + "\"" + at + " does not match what "
          + op + " wrote"));
    }
    if (op.isFail()) {
      anomalies.add(new LockAnomaly(LockAnomalyType.REFUSED_WRITE_APPLIED, op + " was refused (fence compare failed) but is in the history"
          + at));
    }
    if (!seen.add(value.writeId())) {
      anomalies.add(new LockAnomaly(LockAnomalyType.MISPLACED_WRITE, "w" + value.writeId() + " appears a second time" + at));
    } else if (op.isOk() && op.completion().revision() != v.revision()) {
      anomalies.add(new LockAnomaly(LockAnomalyType.MISPLACED_WRITE, op + " was acknowledged at revision " + op.completion().revision()
          + " but the history has it" + at));
    }
  }

  /** At the write's revision the writer's lock key must exist with the write's token and be the oldest under the prefix. */
  private static void checkFence(ResourceVersion v, FencedValue value, List<LockAnomaly> anomalies) {
    String write = "w" + value.writeId() + " by p" + value.process() + " with token " + value.token() + " at revision " + v.revision();
    LockKey own = null;
    LockKey oldest = null;
    for (LockKey k : v.lockKeys()) {
      if (k.key().equals(value.lockKey())) {
        own = k;
      }
      if (oldest == null || k.createRevision() < oldest.createRevision()) {
        oldest = k;
      }
    }
    String problem = null;
    if (own == null) {
      problem = "its lock key " + value.lockKey() + " did not exist then";
    } else if (own.createRevision() != value.token()) {
      problem = "its lock key " + value.lockKey() + " had create_revision " + own.createRevision() + " then";
    } else if (oldest.createRevision() < value.token()) {
      problem = "the lock was held by " + oldest.key() + " (token " + oldest.createRevision() + ")";
    }
    if (problem != null) {
      anomalies.add(new LockAnomaly(LockAnomalyType.UNFENCED_WRITE, write + " was applied, but " + problem));
    }
  }

  /**
   * Acknowledged writes A and B with tokens a &lt; b where B comes first by {@code before}/{@code after}
   * (B's key then A's): impossible if the lock held, since A's key, created before B's, must have been gone
   * when B wrote and cannot come back with the same create_revision. Reports each such A once.
   */
  private static void staleHolderWrites(List<CompletedOp> acknowledged, ToLongFunction<CompletedOp> firstEnds,
      ToLongFunction<CompletedOp> secondBegins, String relation, Map<Long, Tenure> tenureByToken, List<LockAnomaly> anomalies) {
    List<CompletedOp> byEnd = new ArrayList<>(acknowledged);
    byEnd.sort(Comparator.comparingLong(firstEnds));
    List<CompletedOp> byBegin = new ArrayList<>(acknowledged);
    byBegin.sort(Comparator.comparingLong(secondBegins));
    CompletedOp newest = null;
    int next = 0;
    for (CompletedOp a : byBegin) {
      while (next < byEnd.size() && firstEnds.applyAsLong(byEnd.get(next)) < secondBegins.applyAsLong(a)) {
        CompletedOp b = byEnd.get(next++);
        if (newest == null || b.invoke().expected() > newest.invoke().expected()) {
          newest = b;
        }
      }
      if (newest != null && newest.invoke().expected() > a.invoke().expected()) {
        Tenure ta = tenureByToken.get(a.invoke().expected());
        Tenure tb = tenureByToken.get(newest.invoke().expected());
        String overlap = ta != null && tb != null && ta.overlaps(tb) ? "; both believed they held the lock at once" : "";
        anomalies.add(new LockAnomaly(LockAnomalyType.STALE_HOLDER_WRITE, a + " (token " + a.invoke().expected() + ") "
            + relation + " " + newest + " (token " + newest.invoke().expected() + ") and both were acknowledged" + overlap));
      }
    }
  }

  private static String summary(History history, List<Tenure> tenures, int versions) {
    int acquireFailed = 0;
    int acquireUnknown = 0;
    int writesOk = 0;
    int writesRefused = 0;
    int writesUnknown = 0;
    int releases = 0;
    for (CompletedOp op : history.operations()) {
      switch (op.f()) {
        case ACQUIRE -> {
          acquireFailed += op.isFail() ? 1 : 0;
          acquireUnknown += op.isIndeterminate() ? 1 : 0;
        }
        case FENCED_WRITE -> {
          writesOk += op.isOk() ? 1 : 0;
          writesRefused += op.isFail() ? 1 : 0;
          writesUnknown += op.isIndeterminate() ? 1 : 0;
        }
        case RELEASE -> releases += op.isOk() ? 1 : 0;
        default -> { }
      }
    }
    int overlapping = 0;
    for (int i = 0; i < tenures.size(); i++) {
      for (int j = i + 1; j < tenures.size() && tenures.get(j).start() < tenures.get(i).end(); j++) {
        overlapping += tenures.get(i).overlaps(tenures.get(j)) ? 1 : 0;
      }
    }
    return "lock: " + tenures.size() + " acquisitions, " + acquireFailed + " given up, " + acquireUnknown + " indeterminate; "
        + writesOk + " fenced writes acknowledged, " + writesRefused + " refused by the fence, " + writesUnknown
        + " indeterminate, " + releases + " releases, " + overlapping + " pairs of overlapping tenures; " + versions
        + " versions of the resource checked";
  }
}
