package io.cairn.server.watch;

import io.cairn.api.EtcdError;
import io.cairn.server.member.Member;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * etcd's leader monitor for streams opened with {@code hasleader}: once per election timeout it
 * checks whether this member knows a leader; after {@link #CHECKS_WITHOUT_LEADER} checks in a row
 * without one, every such stream is ended with "etcdserver: no leader" so that the client (e.g.
 * kube-apiserver) moves to another member instead of waiting on a partitioned one.
 */
public final class LeaderLossMonitor implements AutoCloseable {
  static final int CHECKS_WITHOUT_LEADER = 3;

  private final Member member;
  private final List<Consumer<Status>> abortStreams;
  private final ScheduledExecutorService timer;
  /** Consecutive checks without a leader; timer thread only. */
  private int misses;

  private LeaderLossMonitor(Member member, List<Consumer<Status>> abortStreams) {
    this.member = member;
    this.abortStreams = List.copyOf(abortStreams);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-leader-monitor");
      t.setDaemon(true);
      return t;
    });
  }

  /** @param abortStreams each ends the leader-requiring streams of one service with the given status */
  public static LeaderLossMonitor start(Member member, Duration electionTimeout, List<Consumer<Status>> abortStreams) {
    LeaderLossMonitor monitor = new LeaderLossMonitor(member, abortStreams);
    long period = Math.max(1, electionTimeout.toMillis());
    monitor.timer.scheduleWithFixedDelay(monitor::check, period, period, TimeUnit.MILLISECONDS);
    return monitor;
  }

  private void check() {
    if (member.status().hasLeader()) {
      misses = 0;
      return;
    }
    if (++misses < CHECKS_WITHOUT_LEADER) {
      return;
    }
    for (Consumer<Status> abort : abortStreams) {
      abort.accept(EtcdError.NO_LEADER.toStatus());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
