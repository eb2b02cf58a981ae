package io.cairn.server.watch;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.CompactionRequest;
import io.cairn.api.etcdserverpb.DeleteRangeRequest;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RequestOp;
import io.cairn.api.etcdserverpb.TxnRequest;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import io.cairn.server.CairnServer;
import io.cairn.server.embed.EmbeddedCluster;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The watch-guarantee checker: random concurrent puts, deletes, txns and compactions against an
 * embedded cluster while watches start at random revisions (compacted ones included) on random
 * ranges with random filters and prev_kv, some of them slow readers; in the 3-member runs the
 * leader is stopped midway and restarted, and watches on it resume elsewhere from the last
 * revision they saw. At the end every watch's stream is checked against the store's history
 * ({@link WatchChecker}): ordered, no duplicates, no gaps, each revision whole, exact prev_kv,
 * compacted starts canceled with compact_revision.
 *
 * <p>One etcd behaviour is modelled rather than flagged: at a revision that is itself a compaction
 * revision, a watch reading it after that compaction gets no prev_kv and no delete events (the
 * compaction dropped the older version and the tombstone); real etcd 3.4 does the same (a watch
 * from the compacted revision does not see the delete made at it).
 *
 * <p>Streams hold at most 64 queued events here (instead of 4096), so that the slow readers do
 * fall behind and catch up from the store within the run.
 *
 * <p>Seeds: {@code -Dcairn.watch.seed=N} replays one seed; {@code -Dcairn.watch.seeds=K} runs K
 * seeds per cluster size (default 3 for one member, 1 for three).
 */
class WatchGuaranteeCheckerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int KEYS = 12;
  private static final int OPS_PER_ROUND = 8;

  @TempDir Path dir;

  static Stream<Arguments> runs() {
    String one = System.getProperty("cairn.watch.seed");
    if (one != null) {
      long seed = Long.parseLong(one);
      return Stream.of(Arguments.of(1, seed), Arguments.of(3, seed));
    }
    int seeds = Integer.getInteger("cairn.watch.seeds", 0);
    long base = 20261122L;
    return Stream.concat(
        LongStream.range(0, seeds > 0 ? seeds : 3).mapToObj(i -> Arguments.of(1, base + i)),
        LongStream.range(0, seeds > 0 ? seeds : 1).mapToObj(i -> Arguments.of(3, base + 100 + i)));
  }

  /** One watch over its life: the streams it used and where it resumes. */
  private static final class TrackedWatch {
    final WatchCreateRequest create;
    final boolean slow;
    final List<RecordingWatch> parts = new ArrayList<>();
    final List<Integer> members = new ArrayList<>();

    TrackedWatch(WatchCreateRequest create, boolean slow) {
      this.create = create;
      this.slow = slow;
    }

    RecordingWatch current() {
      return parts.get(parts.size() - 1);
    }

    /** Where a resumed stream starts: after the last event seen, or where the first one started. */
    long resumeRevision() {
      long last = -1;
      long createdAt = -1;
      for (RecordingWatch p : parts) {
        for (WatchResponse r : p.responses()) {
          if (r.getCreated() && createdAt < 0) {
            createdAt = r.getHeader().getRevision();
          }
          for (Event e : r.getEventsList()) {
            last = Math.max(last, e.getKv().getModRevision());
          }
        }
      }
      if (last > 0) {
        return last + 1;
      }
      if (create.getStartRevision() > 0) {
        return create.getStartRevision();
      }
      return createdAt > 0 ? createdAt + 1 : -1;
    }
  }

  @ParameterizedTest(name = "{0} member(s), seed {1}")
  @MethodSource("runs")
  void watchStreamsMatchTheHistory(int members, long seed) throws Exception {
    try {
      run(members, seed);
    } catch (Throwable t) {
      System.err.println("watch checker failed for " + members + " member(s) with seed " + seed
          + "; replay with -Dcairn.watch.seed=" + seed);
      throw t;
    }
  }

  private void run(int size, long seed) throws Exception {
    // Small stream buffers, so that slow readers fall behind and catch up from the store.
    System.setProperty(WatchService.MAX_QUEUED_EVENTS_PROPERTY, "64");
    try {
      runWithSmallBuffers(size, seed);
    } finally {
      System.clearProperty(WatchService.MAX_QUEUED_EVENTS_PROPERTY);
    }
  }

  private void runWithSmallBuffers(int size, long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    Path data = Files.createTempDirectory(dir, "c");
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(size).dataDir(data).start()) {
      cluster.awaitLeader(WAIT);
      List<ManagedChannel> channels = new ArrayList<>();
      List<ManagedChannel> slowChannels = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        channels.add(NettyChannelBuilder.forTarget(cluster.clientEndpoint(i)).usePlaintext().build());
        // Slow readers get a small HTTP/2 window, so that the server's transport stops taking
        // their responses early and the rest waits in (and overflows) the stream's outbox.
        slowChannels.add(NettyChannelBuilder.forTarget(cluster.clientEndpoint(i)).usePlaintext()
            .flowControlWindow(8 * 1024).build());
      }
      List<Event> history = new ArrayList<>();
      long[] recordedThrough = {1};
      long[] compactedAt = {0};
      Set<Long> compactions = new HashSet<>();
      List<TrackedWatch> watches = new ArrayList<>();
      Set<Integer> stopped = new HashSet<>();
      AtomicBoolean writing = new AtomicBoolean(true);
      int ops = size == 1 ? 600 : 500;
      // Two writers with their own seeded streams of operations, paced by the controller: each
      // round it hands out OPS_PER_ROUND permits, so the number of rounds (and with it the number
      // of watches, compactions and the moment of the leader's stop) does not depend on timing.
      java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(0);
      List<Thread> writers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        SplittableRandom mine = random.split();
        Thread t = new Thread(() -> {
          for (int i = 0; i < ops / 2; i++) {
            permits.acquireUninterruptibly();
            write(channels, stoppedCopy(stopped), mine);
          }
        }, "checker-writer-" + w);
        writers.add(t);
        t.start();
      }
      // The controller: watches, compactions, the leader's stop and restart, slow readers' pace.
      int round = 0;
      int leaderStoppedAt = -1;
      while (writers.stream().anyMatch(Thread::isAlive)) {
        round++;
        permits.release(OPS_PER_ROUND);
        int member = pickRunning(random, size, stopped);
        long current = revisionOf(cluster, member);
        if (random.nextInt(3) == 0 && watches.size() < 16) {
          TrackedWatch w = new TrackedWatch(randomWatch(random, current, compactedAt[0]), random.nextInt(4) == 0);
          w.parts.add(new RecordingWatch((w.slow ? slowChannels : channels).get(member), w.create, w.slow));
          w.members.add(member);
          watches.add(w);
        }
        if (random.nextInt(6) == 0 && current > compactedAt[0] + 5) {
          // Record history before it may be compacted away, then compact somewhere behind.
          synchronized (history) {
            extendHistory(cluster.member(member), history, recordedThrough);
          }
          long at = compactedAt[0] + 1 + random.nextLong(Math.max(1, recordedThrough[0] - compactedAt[0] - 2));
          try {
            KVGrpc.newBlockingStub(channels.get(member)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .compact(CompactionRequest.newBuilder().setRevision(at).build());
            compactedAt[0] = at;
            compactions.add(at);
          } catch (StatusRuntimeException e) {
            // a concurrent compaction or the member stopping: the store says what happened
          }
        }
        for (TrackedWatch w : watches) {
          if (w.slow && random.nextInt(3) == 0) {
            w.current().allow(1 + random.nextInt(3));
          }
        }
        if (size > 1 && round == ops / OPS_PER_ROUND / 3) {
          leaderStoppedAt = cluster.awaitLeader(WAIT);
          // A few more watches on the leader, so that several must resume elsewhere.
          for (int i = 0; i < 3; i++) {
            TrackedWatch w = new TrackedWatch(randomWatch(random, revisionOf(cluster, leaderStoppedAt), compactedAt[0]),
                random.nextInt(4) == 0);
            w.parts.add(new RecordingWatch((w.slow ? slowChannels : channels).get(leaderStoppedAt), w.create, w.slow));
            w.members.add(leaderStoppedAt);
            watches.add(w);
          }
          synchronized (stopped) {
            stopped.add(leaderStoppedAt);
          }
          cluster.stop(leaderStoppedAt);
          cluster.awaitLeader(WAIT);
          resumeBroken(watches, channels, slowChannels, random, size, stopped);
        }
        if (size > 1 && round == 2 * ops / OPS_PER_ROUND / 3 && leaderStoppedAt >= 0) {
          cluster.start(leaderStoppedAt);
          synchronized (stopped) {
            stopped.remove(leaderStoppedAt);
          }
          cluster.awaitLeader(WAIT);
        }
        // The round ends when the writers used its permits (or finished).
        while (permits.availablePermits() > 0 && writers.stream().anyMatch(Thread::isAlive)) {
          Thread.onSpinWait();
        }
      }
      for (Thread t : writers) {
        t.join(WAIT.toMillis());
      }
      if (leaderStoppedAt >= 0 && cluster.member(leaderStoppedAt) == null) {
        cluster.start(leaderStoppedAt);
        stopped.remove(leaderStoppedAt);
      }
      int leader = cluster.awaitLeader(WAIT);
      resumeBroken(watches, channels, slowChannels, random, size, stopped);
      long finalRevision = KVGrpc.newBlockingStub(channels.get(leader)).withDeadlineAfter(10, TimeUnit.SECONDS)
          .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k/")).build()).getHeader().getRevision();
      for (TrackedWatch w : watches) {
        w.current().allow(Integer.MAX_VALUE);
      }
      for (TrackedWatch w : watches) {
        if (!w.current().awaitProgress(finalRevision, WAIT)) {
          fail("watch " + w.create + " on member " + w.members + " did not reach revision " + finalRevision);
        }
      }
      long fellBehind = 0;
      for (int i = 0; i < size; i++) {
        fellBehind += cluster.member(i).leaseAndWatch().hub().fallBehindCount();
      }
      extendHistory(cluster.member(leader), history, recordedThrough);
      assertTrue(recordedThrough[0] >= finalRevision, "history recorded through the final revision");
      List<String> problems = new ArrayList<>();
      int events = 0;
      int resumed = 0;
      int compactionCancels = 0;
      int slow = 0;
      for (TrackedWatch w : watches) {
        List<List<WatchResponse>> segments = new ArrayList<>();
        resumed += w.parts.size() - 1;
        slow += w.slow ? 1 : 0;
        compactionCancels += w.parts.stream().anyMatch(p -> p.responses().stream().anyMatch(r -> r.getCompactRevision() != 0)) ? 1 : 0;
        for (RecordingWatch p : w.parts) {
          segments.add(p.responses());
          events += p.responses().stream().mapToInt(WatchResponse::getEventsCount).sum();
        }
        for (String p : WatchChecker.check(new WatchChecker.Observed(WatchSpec.of(w.create), w.create.getStartRevision(), segments),
            history, finalRevision, compactions)) {
          problems.add("watch " + w.create.toString().replace('\n', ' ') + " (members " + w.members + ", slow " + w.slow + "): " + p
              + "\n    received: " + describe(segments));
        }
        w.parts.forEach(RecordingWatch::close);
      }
      channels.forEach(ManagedChannel::shutdownNow);
      slowChannels.forEach(ManagedChannel::shutdownNow);
      System.out.println("watch checker: " + size + " member(s), seed " + seed + ": " + watches.size() + " watches, "
          + events + " events delivered, final revision " + finalRevision + ", compactions " + compactions.size()
          + " (last at " + compactedAt[0] + "), " + compactionCancels + " watches canceled by compaction, "
          + resumed + " streams resumed on another member, " + slow + " slow readers, " + fellBehind
          + " falls behind (since the last restart)");
      if (!problems.isEmpty()) {
        fail(problems.size() + " problem(s):\n" + String.join("\n", problems));
      }
      assertTrue(events > 0, "the run delivered events at all");
    }
  }

  /** Per segment: the created revision, then each response's event revisions (or compaction). */
  private static String describe(List<List<WatchResponse>> segments) {
    StringBuilder out = new StringBuilder();
    for (List<WatchResponse> segment : segments) {
      out.append("[");
      for (WatchResponse r : segment) {
        if (r.getCreated()) {
          out.append(" created@").append(r.getHeader().getRevision());
        } else if (r.getCompactRevision() != 0) {
          out.append(" compacted@").append(r.getCompactRevision());
        } else if (r.getEventsCount() > 0) {
          out.append(" ").append(r.getEventsList().stream().map(e -> String.valueOf(e.getKv().getModRevision()))
              .distinct().collect(java.util.stream.Collectors.joining(",")));
        }
      }
      out.append(" ]");
    }
    return out.toString();
  }

  private static Set<Integer> stoppedCopy(Set<Integer> stopped) {
    synchronized (stopped) {
      return Set.copyOf(stopped);
    }
  }

  private static int pickRunning(SplittableRandom random, int size, Set<Integer> stopped) {
    Set<Integer> down = stoppedCopy(stopped);
    while (true) {
      int i = random.nextInt(size);
      if (!down.contains(i)) {
        return i;
      }
    }
  }

  private static long revisionOf(EmbeddedCluster cluster, int member) {
    CairnServer s = cluster.member(member);
    return s == null ? 1 : s.store().currentRevision();
  }

  /** Streams of watches whose member stopped resume on a running member from their last revision. */
  private static void resumeBroken(List<TrackedWatch> watches, List<ManagedChannel> channels,
      List<ManagedChannel> slowChannels, SplittableRandom random,
      int size, Set<Integer> stopped) throws InterruptedException {
    for (TrackedWatch w : watches) {
      RecordingWatch current = w.current();
      boolean onStopped = stoppedCopy(stopped).contains(w.members.get(w.members.size() - 1));
      if (current.canceled() || (!onStopped && !current.ended())) {
        continue;
      }
      // Never created (its member stopped first) and started "from now": nothing was promised,
      // so it starts again from now elsewhere.
      long from = Math.max(0, w.resumeRevision());
      current.close();
      int member = pickRunning(random, size, stopped);
      w.parts.add(new RecordingWatch((w.slow ? slowChannels : channels).get(member),
          w.create.toBuilder().setStartRevision(from).build(), w.slow));
      w.members.add(member);
    }
  }

  private static void extendHistory(CairnServer member, List<Event> history, long[] recordedThrough) {
    long current = member.store().currentRevision();
    if (current <= recordedThrough[0]) {
      return;
    }
    history.addAll(member.store().events(recordedThrough[0] + 1, current, Integer.MAX_VALUE));
    recordedThrough[0] = current;
  }

  private static WatchCreateRequest randomWatch(SplittableRandom random, long current, long compacted) {
    WatchCreateRequest.Builder b = WatchCreateRequest.newBuilder();
    switch (random.nextInt(4)) {
      case 0 -> b.setKey(key(random.nextInt(KEYS)));
      case 1 -> b.setKey(ByteString.copyFromUtf8("k/1")).setRangeEnd(ByteString.copyFromUtf8("k/2")); // prefix k/1
      case 2 -> b.setKey(ByteString.copyFromUtf8("k/")).setRangeEnd(ByteString.copyFromUtf8("k0"));
      default -> b.setKey(ByteString.copyFromUtf8("k/5")).setRangeEnd(ByteString.copyFrom(new byte[] {0})); // from key
    }
    switch (random.nextInt(4)) {
      case 0 -> { } // from now
      case 1 -> b.setStartRevision(Math.max(1, compacted - random.nextInt(5))); // at or below the compaction
      default -> b.setStartRevision(Math.max(1, current - random.nextInt(40))); // recent history
    }
    if (random.nextBoolean()) {
      b.setPrevKv(true);
    }
    int filter = random.nextInt(6);
    if (filter == 0) {
      b.addFilters(WatchCreateRequest.FilterType.NOPUT);
    } else if (filter == 1) {
      b.addFilters(WatchCreateRequest.FilterType.NODELETE);
    }
    return b.build();
  }

  private static ByteString key(int i) {
    return ByteString.copyFromUtf8("k/" + i);
  }

  private static void write(List<ManagedChannel> channels, Set<Integer> stopped, SplittableRandom random) {
    int member;
    do {
      member = random.nextInt(channels.size());
    } while (stopped.contains(member));
    KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channels.get(member)).withDeadlineAfter(5, TimeUnit.SECONDS);
    try {
      switch (random.nextInt(10)) {
        // Values up to 2 kB: slow readers then fill gRPC's flow-control window within a run.
        case 0, 1, 2, 3 -> kv.put(PutRequest.newBuilder().setKey(key(random.nextInt(KEYS)))
            .setValue(ByteString.copyFromUtf8("v" + random.nextInt(1000) + "-".repeat(random.nextInt(2048)))).build());
        case 4 -> kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(key(random.nextInt(KEYS))).build());
        case 5 -> kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k/1"))
            .setRangeEnd(ByteString.copyFromUtf8("k/2")).build());
        case 6 -> kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("other/" + random.nextInt(3))).build());
        default -> {
          TxnRequest.Builder txn = TxnRequest.newBuilder();
          Set<Integer> used = new HashSet<>();
          int n = 1 + random.nextInt(4);
          for (int i = 0; i < n; i++) {
            int k = random.nextInt(KEYS);
            if (!used.add(k)) {
              continue;
            }
            txn.addSuccess(random.nextInt(3) == 0
                ? RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key(k))).build()
                : RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key(k))
                    .setValue(ByteString.copyFromUtf8("t" + random.nextInt(1000)))).build());
          }
          kv.txn(txn.build());
        }
      }
    } catch (StatusRuntimeException e) {
      // a stopped member or a leader change: the write may or may not have happened; the
      // history read from the store at the end is the reference either way
    }
  }
}
