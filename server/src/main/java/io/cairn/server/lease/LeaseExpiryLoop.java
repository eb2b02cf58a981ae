package io.cairn.server.lease;

import io.cairn.api.etcdserverpb.LeaseRevokeRequest;
import io.cairn.server.internal.LogRequest;
import io.cairn.server.member.Member;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's lease clock: on a fixed tick it follows this member's leadership (promoting or
 * demoting the {@link Lessor}) and, while leader, proposes a revoke through the raft log for each
 * expired lease. Expiry is thus decided by one member only and applied by all in log order.
 *
 * <p>Rate: at most {@link #REVOKES_PER_SECOND} revokes are proposed per second, as etcd; a revoke
 * that did not apply (lost leadership, timeout) is proposed again after {@link #RETRY}.
 */
public final class LeaseExpiryLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseExpiryLoop.class);
  static final int REVOKES_PER_SECOND = 1000;
  static final Duration TICK = Duration.ofMillis(50);
  static final Duration RETRY = Duration.ofSeconds(3);

  private final Member member;
  private final Lessor lessor;
  /** How much longer than its TTL a lease lives after a leader change (etcd: one election timeout). */
  private final Duration promoteExtension;
  private final ScheduledExecutorService timer;

  private LeaseExpiryLoop(Member member, Lessor lessor, Duration promoteExtension) {
    this.member = member;
    this.lessor = lessor;
    this.promoteExtension = promoteExtension;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cairn-lease-expiry-" + Long.toHexString(member.memberId()));
      t.setDaemon(true);
      return t;
    });
  }

  public static LeaseExpiryLoop start(Member member, Lessor lessor, Duration electionTimeout) {
    LeaseExpiryLoop loop = new LeaseExpiryLoop(member, lessor, electionTimeout);
    loop.timer.scheduleWithFixedDelay(loop::tickSafely, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    return loop;
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.error("lease expiry tick failed", e);
    }
  }

  void tick() {
    boolean leader = member.status().isLeader();
    if (leader && !lessor.isPrimary()) {
      lessor.promote(promoteExtension.toNanos());
      LOG.info("member {} leads: lease clocks restarted", Long.toHexString(member.memberId()));
    } else if (!leader && lessor.isPrimary()) {
      lessor.demote();
    }
    if (!leader) {
      return;
    }
    int max = (int) Math.max(1, REVOKES_PER_SECOND * TICK.toMillis() / 1000);
    for (long id : lessor.takeExpired(max, RETRY.toNanos())) {
      member.propose(LogRequest.newBuilder().setFromMember(true)
              .setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(id)))
          .whenComplete((ok, error) -> {
            if (error != null) {
              LOG.debug("revoke of expired lease {} did not apply: {}", Long.toHexString(id), error.toString());
            }
          });
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
