package io.cairn.jepsen.nemesis;

import io.cairn.api.etcdserverpb.Member;
import io.cairn.api.etcdserverpb.MemberAddRequest;
import io.cairn.api.etcdserverpb.MemberListRequest;
import io.cairn.api.etcdserverpb.MemberRemoveRequest;
import io.cairn.jepsen.cluster.Cluster;
import io.cairn.jepsen.cluster.MemberFlags;
import io.cairn.jepsen.cluster.MemberProcess;
import io.cairn.jepsen.history.OpType;
import io.cairn.jepsen.workload.Outcomes;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Membership changes at run time: a member (the leader half the time) is removed with MemberRemove
 * sent through another member, its process ends (a removed member stops; one that does not within
 * a few seconds is stopped) and its data directory is wiped; on heal it is added back with MemberAdd
 * at the same peer URL (it gets a new member id) and started as etcd documents for a runtime add:
 * empty data directory, {@code --initial-cluster-state existing}, {@code --initial-cluster} naming the
 * current members and itself. Later restarts (kill nemesis) use those flags.
 *
 * <p>One member out at a time, whatever the cluster size. A removal the cluster refuses (strict
 * reconfiguration check: it would cost the quorum) is recorded and nothing else is done. A removal
 * whose answer never came is settled on heal from the member list. Heal retries the add until the
 * cluster accepts it; a member that cannot be added back within {@value #REJOIN_TIMEOUT_MILLIS} ms
 * stays out and the final-state check reports it.
 */
public final class MemberNemesis implements Nemesis {

  /** How long a removed member gets to stop by itself before it is stopped. */
  static final long EXIT_WAIT_MILLIS = 5000;
  /** How long one heal keeps trying to add the member back. */
  static final long REJOIN_TIMEOUT_MILLIS = 60_000;
  private static final long RETRY_MILLIS = 500;
  /**
   * Answers that refuse a membership change without making it (etcd's and Cairn's wording); the
   * other failures of an unanswered or unavailable call leave the outcome unknown.
   */
  private static final List<String> REFUSALS = List.of("etcdserver: unhealthy cluster",
      "etcdserver: re-configuration failed due to not enough started members", "etcdserver: member not found");

  private final Cluster cluster;
  private final Consumer<String> log;
  /**
   * The member out of the cluster (removed, or its removal's outcome unknown), 1-based; 0 when every
   * member is in. At most one at a time. Only the nemesis thread and then the final heal use it.
   */
  private int out;
  /** The member id {@link #out} had before its removal: MemberList settles an unknown outcome by it. */
  private long outId;
  /** True while the removal of {@link #out} was sent but never answered (it may or may not happen). */
  private boolean outcomeUnknown;

  public MemberNemesis(Cluster cluster, Consumer<String> log) {
    this.cluster = cluster;
    this.log = log;
  }

  @Override
  public String name() {
    return "member";
  }

  @Override
  public String inject(SplittableRandom random) throws InterruptedException {
    if (out != 0) {
      heal();
      if (out != 0) {
        return "nothing: " + nameOf(out) + " is still out of the cluster";
      }
    }
    int victim = Targets.leaderOrRandom(cluster, random);
    String who = nameOf(victim) + (cluster.leader().orElse(0) == victim ? " (leader)" : "");
    Optional<MemberListing> listing = MemberListing.fromAnyOther(cluster, victim, true);
    if (listing.isEmpty()) {
      return "nothing: no member but " + who + " answered MemberList";
    }
    Optional<Member> listed = listing.get().withPeerUrl(cluster.advertisedPeerUrl(victim));
    if (listed.isEmpty()) {
      return "nothing: " + who + " is not in the member list of " + nameOf(listing.get().through());
    }
    long id = listed.get().getID();
    int through = listing.get().through();
    String what = "remove " + who + " id " + Long.toHexString(id) + " through " + nameOf(through);
    MemberProcess member = cluster.member(victim);
    member.expectRemoval();
    try {
      cluster.membership(through, MemberListing.CALL_TIMEOUT_MILLIS)
          .memberRemove(MemberRemoveRequest.newBuilder().setID(id).build());
    } catch (StatusRuntimeException e) {
      if (Outcomes.forWrite(e) == OpType.FAIL || REFUSALS.contains(e.getStatus().getDescription())) {
        member.removalRefused();
        return what + ": refused (" + Outcomes.describe(e) + "), nothing done";
      }
      out = victim;
      outId = id;
      outcomeUnknown = true;
      return what + ": no answer (" + Outcomes.describe(e) + "), outcome settled on heal";
    }
    out = victim;
    outId = id;
    outcomeUnknown = false;
    return what + ": " + retire(victim);
  }

  /** After the removal: the member's process ends (or is stopped) and its data directory is wiped. */
  private String retire(int victim) {
    String exit = cluster.member(victim).awaitRemovedExit(EXIT_WAIT_MILLIS);
    cluster.wipeDataDir(victim);
    return "process " + exit + ", data dir wiped";
  }

  @Override
  public void heal() throws InterruptedException {
    if (out == 0) {
      return;
    }
    int victim = out;
    long deadline = System.nanoTime() + REJOIN_TIMEOUT_MILLIS * 1_000_000;
    String last = "no member answered";
    while (System.nanoTime() < deadline) {
      try {
        if (outcomeUnknown && !settleUnknownRemoval(victim)) {
          continue;
        }
        if (out == 0) {
          return;
        }
        Optional<String> notYet = rejoin(victim);
        if (notYet.isEmpty()) {
          return;
        }
        last = notYet.get();
      } catch (StatusRuntimeException e) {
        last = Outcomes.describe(e);
      }
      Thread.sleep(RETRY_MILLIS);
    }
    log.accept("member nemesis: could not add " + nameOf(victim) + " back within " + REJOIN_TIMEOUT_MILLIS + " ms: " + last);
  }

  /**
   * Settles a removal that was never answered, from the member list: still listed with its old id
   * means it did not happen (the member is in again), absent means it did (its process is retired).
   *
   * @return false when no member answered MemberList (try again)
   */
  private boolean settleUnknownRemoval(int victim) throws InterruptedException {
    Optional<MemberListing> listing = MemberListing.fromAnyOther(cluster, victim, true);
    if (listing.isEmpty()) {
      Thread.sleep(RETRY_MILLIS);
      return false;
    }
    boolean stillIn = listing.get().members().stream().anyMatch(m -> m.getID() == outId);
    outcomeUnknown = false;
    if (stillIn) {
      cluster.member(victim).removalRefused();
      cluster.member(victim).start(); // no-op when it runs; a crash meanwhile is on record
      out = 0;
      log.accept("member nemesis: the unanswered removal of " + nameOf(victim) + " did not happen");
    } else {
      log.accept("member nemesis: the unanswered removal of " + nameOf(victim) + " happened: " + retire(victim));
    }
    return true;
  }

  /**
   * One attempt to add the member back: MemberAdd at its peer URL unless an earlier attempt already
   * did (an unstarted member at that URL), then, once every running member lists it, start it with
   * the flags of a runtime join.
   *
   * @return empty when it was started, else why not yet (try again)
   */
  private Optional<String> rejoin(int victim) {
    String peerUrl = cluster.advertisedPeerUrl(victim);
    Optional<MemberListing> listing = MemberListing.fromAnyOther(cluster, victim, true);
    if (listing.isEmpty()) {
      return Optional.of("no member answered MemberList");
    }
    Optional<Member> listed = listing.get().withPeerUrl(peerUrl);
    List<Member> members;
    long newId;
    if (listed.isEmpty()) {
      var added = cluster.membership(listing.get().through(), MemberListing.CALL_TIMEOUT_MILLIS)
          .memberAdd(MemberAddRequest.newBuilder().addPeerURLs(peerUrl).build());
      members = added.getMembersList();
      newId = added.getMember().getID();
    } else if (listed.get().getName().isEmpty()) {
      members = listing.get().members();
      newId = listed.get().getID();
    } else {
      return Optional.of(nameOf(listing.get().through()) + " still lists the removed member");
    }
    if (!everyRunningMemberLists(victim, newId)) {
      return Optional.of("not every member lists the new member " + Long.toHexString(newId) + " yet");
    }
    MemberProcess member = cluster.member(victim);
    String initialCluster = MemberFlags.initialCluster(members, member.spec().name(), peerUrl);
    member.rejoin(MemberFlags.forJoin(member.command(), initialCluster));
    log.accept("member nemesis: " + nameOf(victim) + " added back as id " + Long.toHexString(newId)
        + ", started with --initial-cluster " + initialCluster);
    out = 0;
    return Optional.empty();
  }

  /**
   * Whether every running member other than the joiner lists member {@code id}: the joiner asks them
   * for the cluster, and one that has not applied the add yet would tell it it is unknown.
   */
  private boolean everyRunningMemberLists(int joiner, long id) {
    for (int i = 1; i <= cluster.size(); i++) {
      if (i == joiner || !cluster.member(i).isRunning()) {
        continue;
      }
      boolean lists = cluster.membership(i, MemberListing.CALL_TIMEOUT_MILLIS)
          .memberList(MemberListRequest.getDefaultInstance())
          .getMembersList().stream().anyMatch(m -> m.getID() == id);
      if (!lists) {
        return false;
      }
    }
    return true;
  }

  private String nameOf(int i) {
    return cluster.member(i).spec().name();
  }
}
