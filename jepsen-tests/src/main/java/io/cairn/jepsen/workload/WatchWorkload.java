package io.cairn.jepsen.workload;

import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.PutResponse;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.api.mvccpb.KeyValue;
import io.cairn.jepsen.client.Bytes;
import io.cairn.jepsen.client.EtcdConnection;
import io.cairn.jepsen.history.CompletedOp;
import io.cairn.jepsen.history.History;
import io.cairn.jepsen.history.Op;
import io.cairn.jepsen.history.OpFunction;
import io.cairn.jepsen.history.OpType;
import io.cairn.jepsen.history.HistoryRecorder;
import io.cairn.jepsen.watch.StoreEvent;
import io.cairn.jepsen.watch.StoreHistory;
import io.cairn.jepsen.watch.WatchCheckResult;
import io.cairn.jepsen.watch.WatchChecker;
import io.cairn.jepsen.watch.WatchStreamsJsonl;
import io.cairn.jepsen.watch.WatcherStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code watch} workload: writers put unique values to a few keys under one prefix; watchers
 * (a third of the clients) watch the prefix from a random past revision for a few seconds, with or
 * without prev_kv, and end early when their stream breaks. After the run one more watcher per member
 * watches from revision 1 until it has every event up to the final revision. The store's complete
 * history is read back with a Range at every revision (no compaction happens during a run), and the
 * {@link WatchChecker} checks every stream against it, and it against the acknowledged writes.
 */
public final class WatchWorkload implements Workload {

  static final String PREFIX = "jepsen/watch/";
  private static final int KEYS = 5;
  /** A writer retires after between this and twice this many writes, so watchers keep starting. */
  private static final long MIN_WRITES_PER_WRITER = 100;
  private static final long MIN_WATCH_MILLIS = 2000;
  private static final long MAX_WATCH_MILLIS = 8000;
  private static final long FINAL_WATCH_TIMEOUT_MILLIS = 15_000;
  private static final long FINAL_WATCH_RETRY_MILLIS = 200;

  private final HistoryRecorder recorder;
  private final AtomicLong nextValue = new AtomicLong(1);
  /** Highest revision any response showed: watchers start at or below it. */
  private final AtomicLong maxRevision = new AtomicLong(1);
  /** Streams of the watchers that ended. Guarded by this. */
  private final List<WatcherStream> streams = new ArrayList<>();
  /** Final watch attempts that ended before they caught up and were retried, with why. Guarded by this. */
  private final List<String> finalWatchRetries = new ArrayList<>();
  /** Final watchers that never caught up, with why. Guarded by this. */
  private final List<String> finalWatchProblems = new ArrayList<>();
  /** The store's history, read after the run. */
  private volatile StoreHistory store;
  private volatile List<StoreEvent> storeChanges = List.of();

  public WatchWorkload(HistoryRecorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public String name() {
    return "watch";
  }

  @Override
  public WorkloadClient client(int process, EtcdConnection member, SplittableRandom random) {
    if (random.nextInt(3) == 0) {
      return watcher(process, member, random);
    }
    long writes = MIN_WRITES_PER_WRITER + random.nextLong(MIN_WRITES_PER_WRITER);
    AtomicLong done = new AtomicLong();
    return () -> {
      if (done.incrementAndGet() > writes) {
        return false; // make room: the slot's next client may be a watcher
      }
      String key = PREFIX + random.nextInt(KEYS);
      long value = nextValue.getAndIncrement();
      recorder.record(Op.write(process, OpType.INVOKE, key, value, System.nanoTime()));
      try {
        PutResponse r = member.kv(Outcomes.REQUEST_TIMEOUT_MILLIS).put(PutRequest.newBuilder().setKey(Bytes.of(key)).setValue(Bytes.of(value)).build());
        maxRevision.accumulateAndGet(r.getHeader().getRevision(), Math::max);
        recorder.record(Op.write(process, OpType.OK, key, value, System.nanoTime()).withRevision(r.getHeader().getRevision()));
        return true;
      } catch (RuntimeException e) {
        OpType type = Outcomes.forWrite(e);
        recorder.record(Op.write(process, type, key, value, System.nanoTime()));
        return type != OpType.INFO;
      }
    };
  }

  private WorkloadClient watcher(int process, EtcdConnection member, SplittableRandom random) {
    long start = 1 + random.nextLong(maxRevision.get() + 1);
    WatchSession session = new WatchSession("p" + process + "@" + member.target() + " from " + start, PREFIX, start, random.nextBoolean());
    long duration = MIN_WATCH_MILLIS + random.nextLong(MAX_WATCH_MILLIS - MIN_WATCH_MILLIS);
    return new WorkloadClient() {
      private boolean started;

      @Override
      public boolean step() throws InterruptedException {
        if (!started) {
          started = true;
          session.start(member);
        }
        session.awaitEnd(duration);
        return false; // a watcher watches once; the slot then continues with a new client
      }

      @Override
      public void close() {
        session.cancel();
        synchronized (WatchWorkload.this) {
          streams.add(session.stream(Long.MIN_VALUE));
        }
      }
    };
  }

  @Override
  public void finalReads(List<EtcdConnection> members, int firstFreeProcess) throws InterruptedException {
    EtcdConnection reader = members.get(0);
    RangeResponse now = reader.kv(30_000).range(RangeRequest.newBuilder().setKey(Bytes.of(PREFIX)).setRangeEnd(Bytes.prefixEnd(PREFIX)).build());
    long last = now.getHeader().getRevision();
    List<StoreEvent> changes = new ArrayList<>();
    for (long rev = 2; rev <= last; rev++) {
      RangeResponse at = reader.kv(30_000).range(RangeRequest.newBuilder().setKey(Bytes.of(PREFIX))
          .setRangeEnd(Bytes.prefixEnd(PREFIX)).setRevision(rev).build());
      for (KeyValue kv : at.getKvsList()) {
        if (kv.getModRevision() == rev) {
          changes.add(StoreEvent.put(rev, kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8()));
        }
      }
    }
    storeChanges = changes;
    store = new StoreHistory(changes);
    for (EtcdConnection member : members) {
      finalWatch(member, last);
    }
  }

  /**
   * Watches the prefix from revision 1 on one member until the event at {@code last} arrives. The
   * final watchers are the checker's witnesses, not clients under test: a stream that fails before
   * it caught up (the member's channel may still be backing off from a restart) is retried on a fresh
   * connection until {@link #FINAL_WATCH_TIMEOUT_MILLIS}. Only a stream that caught up claims every
   * event up to {@code last}; one that never did is a problem of its own, with the reason.
   */
  private void finalWatch(EtcdConnection member, long last) throws InterruptedException {
    String target = member.target();
    String id = "final watcher on " + target;
    long deadline = System.nanoTime() + FINAL_WATCH_TIMEOUT_MILLIS * 1_000_000;
    WatchSession attempt = null;
    boolean caughtUp = false;
    while (!caughtUp && System.nanoTime() < deadline) {
      if (attempt != null) {
        synchronized (this) {
          finalWatchRetries.add(target + " (" + attempt.endReason() + ")");
        }
        Thread.sleep(FINAL_WATCH_RETRY_MILLIS);
      }
      try (EtcdConnection connection = member.another()) {
        attempt = new WatchSession(id, PREFIX, 1, true);
        attempt.start(connection);
        caughtUp = attempt.awaitRevision(last, Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        attempt.cancel();
      }
    }
    synchronized (this) {
      if (caughtUp) {
        streams.add(attempt.stream(last));
      } else {
        finalWatchProblems.add(id + " did not receive every event up to revision " + last + " within "
            + FINAL_WATCH_TIMEOUT_MILLIS + " ms: its last attempt stopped at revision "
            + (attempt == null ? 0 : attempt.lastRevisionReceived()) + " ("
            + (attempt == null || attempt.endReason() == null ? "no stream" : attempt.endReason()) + ")");
        if (attempt != null) {
          streams.add(attempt.stream(Long.MIN_VALUE));
        }
      }
    }
  }

  @Override
  public CheckReport check(History history) {
    List<StoreEvent> acknowledged = new ArrayList<>();
    for (CompletedOp op : history.operations()) {
      if (op.f() == OpFunction.WRITE && op.isOk()) {
        acknowledged.add(StoreEvent.put(op.completion().revision(), op.invoke().key(), Long.toString(op.invoke().value())));
      }
    }
    if (store == null) {
      return CheckReport.of("watch: not checked", List.of("the store's history could not be read back after the run"));
    }
    List<WatcherStream> all;
    synchronized (this) {
      all = List.copyOf(streams);
    }
    WatchCheckResult result = new WatchChecker().check(store, acknowledged, all);
    List<String> anomalies = new ArrayList<>();
    synchronized (this) {
      anomalies.addAll(finalWatchProblems);
    }
    result.anomalies().forEach(a -> anomalies.add(a.toString()));
    String retries;
    synchronized (this) {
      retries = finalWatchRetries.isEmpty() ? "" : "; final watches retried: " + finalWatchRetries;
    }
    return CheckReport.of("watch: " + all.size() + " watchers, " + result.eventsChecked() + " events checked against "
        + storeChanges.size() + " store changes and " + acknowledged.size() + " acknowledged writes" + retries, anomalies);
  }

  @Override
  public void writeEvidence(Path resultDir) throws IOException {
    List<WatcherStream> all;
    synchronized (this) {
      all = List.copyOf(streams);
    }
    try (Writer out = Files.newBufferedWriter(resultDir.resolve(WatchStreamsJsonl.FILE_NAME))) {
      WatchStreamsJsonl.write(all, out);
    }
  }
}
