package io.cairn.jepsen.lock;

import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpFunction;
import io.cairn.jepsen.history.OpType;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds lock-workload histories and resource read-backs by hand for checker tests. Lock keys are
 * named after the process ({@code lock/p<process>}); times are plain numbers.
 */
final class LockHistoryBuilder {

  static final String RESOURCE = "jepsen/lock/resource";

  private final List<Op> events = new ArrayList<>();
  private final List<ResourceVersion> versions = new ArrayList<>();

  static String lockKey(int process) {
    return "jepsen/lock/lock/p" + process;
  }

  LockHistoryBuilder acquire(int process, long token, long start, long end) {
    events.add(op(process, OpType.INVOKE, OpFunction.ACQUIRE, lockKey(process), null, null, start, Op.UNKNOWN_REVISION));
    events.add(op(process, OpType.OK, OpFunction.ACQUIRE, lockKey(process), token, null, end, token));
    return this;
  }

  /** A fenced write completing with {@code type}; {@code revision} is what an OK or FAIL answer reported. */
  LockHistoryBuilder write(int process, long writeId, long token, OpType type, long revision, long start, long end) {
    events.add(op(process, OpType.INVOKE, OpFunction.FENCED_WRITE, RESOURCE, writeId, token, start, Op.UNKNOWN_REVISION));
    events.add(op(process, type, OpFunction.FENCED_WRITE, RESOURCE, writeId, token, end,
        type == OpType.INFO ? Op.UNKNOWN_REVISION : revision));
    return this;
  }

  LockHistoryBuilder release(int process, long token, long start, long end) {
    events.add(op(process, OpType.INVOKE, OpFunction.RELEASE, lockKey(process), token, null, start, Op.UNKNOWN_REVISION));
    events.add(op(process, OpType.OK, OpFunction.RELEASE, lockKey(process), token, null, end, Op.UNKNOWN_REVISION));
    return this;
  }

  /**
   * The next version of the resource: write {@code writeId} by {@code process} with {@code token} at
   * {@code revision}, with the given lock holders ({@code process, createRevision} pairs) at that revision.
   */
  LockHistoryBuilder version(long revision, long writeId, int process, long token, long... holders) {
    List<LockKey> keys = new ArrayList<>();
    for (int i = 0; i < holders.length; i += 2) {
      keys.add(new LockKey(lockKey((int) holders[i]), holders[i + 1]));
    }
    versions.add(new ResourceVersion(revision, versions.size() + 1, new FencedValue(writeId, process, token, lockKey(process)).render(), keys));
    return this;
  }

  /** A version with a raw value, e.g. one no fenced client could have written. */
  LockHistoryBuilder rawVersion(long revision, long version, String value) {
    versions.add(new ResourceVersion(revision, version, value, List.of()));
    return this;
  }

  History history() {
    return History.of(events);
  }

  List<ResourceVersion> versions() {
    return versions;
  }

  LockCheckResult check() {
    return new LockChecker().check(history(), versions);
  }

  private static Op op(int process, OpType type, OpFunction f, String key, Long value, Long expected, long time, long revision) {
    return new Op(process, type, f, key, value, expected, null, time, revision);
  }
}
