package io.cairn.jepsen.nemesis;

import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.DbKind;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Clock faults through libfaketime (Cairn members run under LD_PRELOAD with a per-member offset file
 * that is re-read at most once a second; the monotonic clock is left real, as NTP would leave it). A
 * fault is either a bump (a random subset of members jumps by up to ±5 minutes) or a strobe (one
 * member's wall clock flips between real time and an offset about every second). Heal resets every
 * offset to zero.
 *
 * <p>What it exercises in Cairn: nothing in raft or leases reads the wall clock (ticks and lease
 * expiry run on the monotonic clock), so a bump must change nothing. The wall clock seeds request and
 * lease ids at start-up and stamps member-add ids, so bumps matter most across a restart (combine with
 * {@code kill}).
 *
 * <p>Real etcd is a Go binary that reads the clock through the vDSO, not libc, so libfaketime cannot
 * move its clock: against etcd this nemesis records that it did nothing.
 */
public final class ClockNemesis implements Nemesis {

  /** Flip period of a strobe; the members re-read their offset file once a second (see Cluster). */
  private static final long STROBE_PERIOD_MILLIS = 500;

  private final Cluster cluster;
  /** The strobe thread of the fault in progress, or null. */
  private Thread strobe;

  public ClockNemesis(Cluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public String name() {
    return "clock";
  }

  @Override
  public String inject(SplittableRandom random) {
    if (cluster.kind() != DbKind.CAIRN) {
      return "nothing: libfaketime cannot move a Go binary's clock";
    }
    if (random.nextBoolean()) {
      List<Integer> order = Targets.shuffled(cluster.size(), random);
      List<Integer> victims = order.subList(0, 1 + random.nextInt(cluster.size()));
      StringBuilder what = new StringBuilder("bump");
      for (int i : victims) {
        long seconds = (random.nextBoolean() ? 1 : -1) * (1 + random.nextLong(300));
        cluster.setClockOffset(i, (seconds >= 0 ? "+" : "") + seconds);
        what.append(' ').append(cluster.member(i).spec().name()).append(' ').append(seconds).append('s');
      }
      return what.toString();
    }
    int victim = Targets.leaderOrRandom(cluster, random);
    long seconds = 1 + random.nextLong(200);
    strobe = new Thread(() -> {
      boolean shifted = false;
      try {
        while (!Thread.currentThread().isInterrupted()) {
          cluster.setClockOffset(victim, shifted ? "+0" : "+" + seconds);
          shifted = !shifted;
          Thread.sleep(STROBE_PERIOD_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "clock-strobe");
    strobe.setDaemon(true);
    strobe.start();
    return "strobe " + cluster.member(victim).spec().name() + " between +0 and +" + seconds + "s every " + STROBE_PERIOD_MILLIS + " ms";
  }

  @Override
  public void heal() throws InterruptedException {
    if (strobe != null) {
      strobe.interrupt();
      strobe.join();
      strobe = null;
    }
    if (cluster.kind() == DbKind.CAIRN && !cluster.clockFiles().isEmpty()) {
      for (int i = 1; i <= cluster.size(); i++) {
        cluster.setClockOffset(i, "+0");
      }
    }
  }
}
