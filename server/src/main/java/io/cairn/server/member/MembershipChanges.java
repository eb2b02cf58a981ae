package io.cairn.server.member;

import io.cairn.api.EtcdError;
import io.cairn.raft.ConfChangeType;
import io.cairn.raft.ProgressView;
import io.cairn.raft.Status;
import io.cairn.server.cluster.MemberIds;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.ConfChangeContext;
import io.cairn.server.internal.MemberAttributes;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's runtime reconfiguration on this member: add, remove, update and promote members. Each
 * change is checked (etcd's rules, see {@link MembershipRules}, plus {@code --strict-reconfig-check}),
 * then proposed as one raft conf change whose context carries the member; it completes with the
 * membership the change produced once it applied here, in the same batch as raft's configuration.
 *
 * <p>Why checked before proposing rather than when applied (where etcd checks): raft's
 * configuration follows a committed conf change as soon as it commits, so a change refused at
 * apply time would leave raft and the member list apart. To check against a current membership,
 * changes on one member run one at a time, each after a linearizable read barrier (everything
 * committed before it is applied), and the Cluster service sends them to the leader, so that in a
 * steady cluster they are all checked in one place. Two changes racing through two different
 * members during a leader change could still both pass their checks (see docs/compatibility.md).
 */
public final class MembershipChanges {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipChanges.class);

  /** A member just added and the membership with it. */
  public record Added(MemberAttributes member, ClusterMembers members) {}

  private final Member member;
  private final Supplier<ClusterMembers> members;
  private final PeerActivity activity;
  private final boolean strict;
  private final String clusterToken;
  private final Clock clock;
  /** The last change queued on this member; the next one starts after it ended. Guarded by this. */
  private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

  public MembershipChanges(Member member, Supplier<ClusterMembers> members, PeerActivity activity,
      boolean strictReconfigCheck, String clusterToken, Clock clock) {
    this.member = member;
    this.members = members;
    this.activity = activity;
    this.strict = strictReconfigCheck;
    this.clusterToken = clusterToken;
    this.clock = clock;
  }

  /**
   * Adds a member that will join with these peer URLs; its id is derived from the URLs, the
   * cluster token and the current time (as etcd derives a runtime-added member's id), and it has
   * no name until it starts.
   */
  public CompletableFuture<Added> add(List<URI> peerUrls, boolean learner) {
    long id = MemberIds.memberId(peerUrls, clusterToken + clock.instant().getEpochSecond());
    List<String> urls = peerUrls.stream().map(URI::toString).sorted().toList();
    MemberAttributes added = MemberAttributes.newBuilder().setId(id).addAllPeerUrls(urls).setIsLearner(learner).build();
    return serialized(() -> checked(current -> {
      MembershipRules.checkAdd(current, id, urls, learner);
      if (strict) {
        if (!learner && !MembershipRules.readyToAddVoter(current)) {
          throw EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
        }
        if (!allVotersActive(current)) {
          throw EtcdError.UNHEALTHY.exception();
        }
      }
      return CompletableFuture.completedFuture(null);
    }).thenCompose(ok -> propose(learner ? ConfChangeType.ADD_LEARNER_NODE : ConfChangeType.ADD_NODE, id,
        ConfChangeContext.newBuilder().setMember(added)))
        .thenApply(after -> new Added(added, after)));
  }

  public CompletableFuture<ClusterMembers> remove(long id) {
    return serialized(() -> checked(current -> {
      MemberAttributes removed = MembershipRules.checkRemove(current, id);
      if (strict && !removed.getIsLearner()) {
        checkQuorumSurvivesRemoval(current, id);
      }
      return CompletableFuture.completedFuture(null);
    }).thenCompose(ok -> propose(ConfChangeType.REMOVE_NODE, id,
        ConfChangeContext.newBuilder().setMember(MemberAttributes.newBuilder().setId(id)))));
  }

  /** Replaces a member's peer URLs (etcd's UpdateNode); its role and everything else stay. */
  public CompletableFuture<ClusterMembers> update(long id, List<URI> peerUrls) {
    List<String> urls = peerUrls.stream().map(URI::toString).sorted().toList();
    ConfChangeContext.Builder context = ConfChangeContext.newBuilder().setIsUpdate(true)
        .setMember(MemberAttributes.newBuilder().setId(id).addAllPeerUrls(urls));
    // The member keeps its role: the conf change re-adds it as what it is (no change to raft).
    return serialized(() -> checked(current -> CompletableFuture.completedFuture(
            MembershipRules.checkUpdate(current, id, urls)))
        .thenCompose(target -> propose(
            target.getIsLearner() ? ConfChangeType.ADD_LEARNER_NODE : ConfChangeType.ADD_NODE, id, context)));
  }

  /**
   * Makes a learner a voter, only when its log is in sync with the leader's; needs this member to
   * be the leader (only the leader knows how far each member's log matches).
   */
  public CompletableFuture<ClusterMembers> promote(long id) {
    return serialized(() -> checked(current -> {
      MembershipRules.checkPromote(current, id);
      return member.raftStatus().thenAccept(status -> {
        checkLearnerInSync(status, id);
        if (strict && !MembershipRules.readyToPromote(current)) {
          throw EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
        }
      });
    }).thenCompose(ok -> propose(ConfChangeType.ADD_NODE, id, ConfChangeContext.newBuilder().setIsPromote(true)
        .setMember(MemberAttributes.newBuilder().setId(id)))));
  }

  private static void checkLearnerInSync(Status status, long id) {
    if (status.progress().isEmpty()) {
      throw EtcdError.NOT_LEADER.exception();
    }
    ProgressView learner = status.progress().get(id);
    ProgressView leader = status.progress().get(status.id());
    if (learner != null && leader != null) {
      MembershipRules.checkLearnerInSync(learner.match(), leader.match());
    }
  }

  /**
   * etcd's {@code mayRemoveMember}: the started voters left must be a quorum, and unless the
   * member removed is already down, the active voters left must be a quorum of what remains.
   */
  private void checkQuorumSurvivesRemoval(ClusterMembers current, long id) {
    if (!MembershipRules.readyToRemoveVoter(current, id)) {
      throw EtcdError.MEMBER_NOT_ENOUGH_STARTED.exception();
    }
    if (id != member.memberId() && !activity.isActive(id)) {
      return; // a member already down is not part of the working quorum
    }
    int voters = MembershipRules.voters(current);
    long active = current.getMembersList().stream()
        .filter(m -> !m.getIsLearner() && (m.getId() == member.memberId() || activity.isActive(m.getId())))
        .count();
    if (active - 1 < MembershipRules.quorum(voters - 1)) {
      throw EtcdError.UNHEALTHY.exception();
    }
  }

  private boolean allVotersActive(ClusterMembers current) {
    return current.getMembersList().stream()
        .filter(m -> !m.getIsLearner() && m.getId() != member.memberId())
        .allMatch(m -> activity.isActive(m.getId()));
  }

  /** Runs {@code check} on the membership once everything committed before now has applied. */
  private <T> CompletableFuture<T> checked(Function<ClusterMembers, CompletableFuture<T>> check) {
    return member.linearizableReadBarrier().thenCompose(ok -> check.apply(members.get()));
  }

  private CompletableFuture<ClusterMembers> propose(ConfChangeType type, long id, ConfChangeContext.Builder context) {
    LOG.info("member {} proposes {} of member {}", MemberIds.toHex(member.memberId()),
        context.getIsUpdate() ? "UPDATE" : context.getIsPromote() ? "PROMOTE" : type, MemberIds.toHex(id));
    return member.proposeConfChange(type, id, context).thenApply(ClusterMembers.class::cast);
  }

  private synchronized <T> CompletableFuture<T> serialized(Supplier<CompletableFuture<T>> change) {
    CompletableFuture<T> next = tail.handle((v, e) -> null).thenCompose(v -> change.get());
    tail = next;
    return next;
  }
}
