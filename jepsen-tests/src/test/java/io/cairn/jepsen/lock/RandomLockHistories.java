package io.cairn.jepsen.lock;

import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpFunction;
import io.cairn.jepsen.history.OpType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Seeded simulations of the lock workload against a correct store: clients put lock keys, wait until
 * theirs is the oldest, write with a fence (compare the key's create_revision), release; leases expire
 * at random (the key vanishes under a holder or a waiter, which does not notice); some writes end
 * indeterminate (applied or not) and retire their process. Optionally one client's lock is broken: it
 * believes it holds the lock while still waiting, and its writes skip the fence.
 */
final class RandomLockHistories {

  private static final String LOCK_PREFIX = "jepsen/lock/lock/";

  /**
   * @param history the clients' history
   * @param versions the resource's history as the store holds it
   * @param unfencedWrites how many writes the broken client got applied outside its tenure
   */
  record Generated(History history, List<ResourceVersion> versions, int unfencedWrites) {}

  /** One simulated client slot; its process id changes when it is retired. */
  private static final class Slot {
    int process;
    String key;
    long token;
    boolean acquiring;
    int writesLeft;
  }

  private final SplittableRandom random;
  private final boolean brokenLock;
  private final List<Op> events = new ArrayList<>();
  private final List<ResourceVersion> versions = new ArrayList<>();
  /** Lock key -> create_revision, as the store holds them. */
  private final Map<String, Long> lockKeys = new TreeMap<>();
  private long revision = 1;
  private long time;
  private long nextWriteId = 1;
  private int nextProcess;
  private int unfencedWrites;

  private RandomLockHistories(long seed, boolean brokenLock) {
    this.random = new SplittableRandom(seed);
    this.brokenLock = brokenLock;
  }

  static Generated generate(long seed, int steps, int clients, boolean brokenLock) {
    RandomLockHistories sim = new RandomLockHistories(seed, brokenLock);
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      Slot s = new Slot();
      s.process = sim.nextProcess++;
      slots.add(s);
    }
    for (int i = 0; i < steps; i++) {
      if (sim.random.nextInt(20) == 0 && !sim.lockKeys.isEmpty()) {
        List<String> keys = new ArrayList<>(sim.lockKeys.keySet());
        sim.lockKeys.remove(keys.get(sim.random.nextInt(keys.size()))); // a lease expired
        sim.revision++;
      }
      int which = sim.random.nextInt(clients);
      sim.step(slots.get(which), brokenLock && which == 0);
    }
    return new Generated(History.of(sim.events), sim.versions, sim.unfencedWrites);
  }

  private void step(Slot s, boolean broken) {
    if (s.key == null) {
      s.key = LOCK_PREFIX + s.process + "-" + time;
      s.token = ++revision;
      lockKeys.put(s.key, s.token);
      s.acquiring = true;
      record(s.process, OpType.INVOKE, OpFunction.ACQUIRE, s.key, null, null, Op.UNKNOWN_REVISION);
    } else if (s.acquiring) {
      boolean predecessors = lockKeys.values().stream().anyMatch(created -> created < s.token);
      if (!predecessors || (broken && random.nextBoolean())) {
        s.acquiring = false;
        s.writesLeft = 1 + random.nextInt(3);
        record(s.process, OpType.OK, OpFunction.ACQUIRE, s.key, s.token, null, revision);
      }
    } else if (s.writesLeft > 0) {
      write(s, broken);
    } else {
      record(s.process, OpType.INVOKE, OpFunction.RELEASE, s.key, s.token, null, Op.UNKNOWN_REVISION);
      if (lockKeys.remove(s.key) != null) {
        revision++;
      }
      record(s.process, OpType.OK, OpFunction.RELEASE, s.key, s.token, null, revision);
      s.key = null;
    }
  }

  private void write(Slot s, boolean broken) {
    long id = nextWriteId++;
    record(s.process, OpType.INVOKE, OpFunction.FENCED_WRITE, "jepsen/lock/resource", id, s.token, Op.UNKNOWN_REVISION);
    Long created = lockKeys.get(s.key);
    boolean fenceHolds = created != null && created == s.token;
    boolean indeterminate = random.nextInt(10) == 0;
    boolean applied = (fenceHolds || broken) && (!indeterminate || random.nextBoolean());
    if (applied) {
      revision++;
      boolean oldest = lockKeys.values().stream().noneMatch(c -> c < s.token);
      if (!fenceHolds || !oldest) {
        unfencedWrites++;
      }
      List<LockKey> snapshot = lockKeys.entrySet().stream().map(e -> new LockKey(e.getKey(), e.getValue())).toList();
      versions.add(new ResourceVersion(revision, versions.size() + 1, new FencedValue(id, s.process, s.token, s.key).render(), snapshot));
    }
    if (indeterminate) {
      record(s.process, OpType.INFO, OpFunction.FENCED_WRITE, "jepsen/lock/resource", id, s.token, Op.UNKNOWN_REVISION);
      s.process = nextProcess++; // retired; its key stays until its lease expires
      s.key = null;
      return;
    }
    record(s.process, applied ? OpType.OK : OpType.FAIL, OpFunction.FENCED_WRITE, "jepsen/lock/resource", id, s.token, revision);
    s.writesLeft = applied ? s.writesLeft - 1 : 0;
  }

  private void record(int process, OpType type, OpFunction f, String key, Long value, Long expected, long rev) {
    events.add(new Op(process, type, f, key, value, expected, null, time++, rev));
  }
}
