package io.cairn.server.member;

import io.cairn.raft.ConfState;
import io.cairn.server.cluster.MemberIds;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.InitialClusterState;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MemberAttributes;
import io.cairn.storage.wal.Wal;
import io.cairn.storage.wal.WalMetadata;
import io.cairn.storage.wal.WalOptions;
import io.cairn.storage.wal.WalState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a {@link Member} from its data directory, as etcd does:
 * <ul>
 *   <li>a data directory with a raft log means a restart: ids and membership come from disk and the
 *       {@code --initial-cluster*} flags are ignored;
 *   <li>otherwise, with {@code --initial-cluster-state new}, the member bootstraps the cluster named
 *       by {@code --initial-cluster}: member ids from peer URLs and token, the cluster id from the
 *       member ids, all members voters.
 * </ul>
 */
public final class MemberBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(MemberBootstrap.class);

  private MemberBootstrap() {}

  /**
   * @param transportFactory builds the peer transport once the member's ids are known
   * @param lookup asks running members for the membership (joining an existing cluster)
   * @param timeline where the start's steps (WAL read, raft ready, leader contact) are marked
   */
  public static Member start(ServerConfig config, StateMachine stateMachine,
      PeerTransportFactory transportFactory, ClusterLookup lookup, FatalErrorHandler fatal,
      StartTimeline timeline) {
    try {
      Member member;
      if (Wal.exists(config.walDir())) {
        member = restart(config, stateMachine, transportFactory, lookup, fatal, timeline);
      } else if (config.initialClusterState() == InitialClusterState.EXISTING) {
        member = join(config, stateMachine, transportFactory, lookup, fatal, timeline);
      } else {
        member = bootstrapNew(config, stateMachine, transportFactory, fatal, timeline);
      }
      member.start();
      timeline.mark(StartTimeline.Phase.RAFT_READY);
      return member;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the raft log in " + config.walDir(), e);
    }
  }

  private static Member restart(ServerConfig config, StateMachine stateMachine,
      PeerTransportFactory transportFactory, ClusterLookup lookup, FatalErrorHandler fatal, StartTimeline timeline)
      throws IOException {
    Wal wal = Wal.open(config.walDir(), new WalOptions(config.walSegmentBytes()));
    WalState state = wal.recoveredState();
    long memberId = state.metadata().memberId();
    long clusterId = state.metadata().clusterId();
    SnapshotDirectory snapshots = SnapshotDirectory.of(config.dataDir());
    SnapshotInstaller.finishInterrupted(snapshots, state.snapshot().index(), stateMachine);
    ConfState confState = stateMachine.applied().confState();
    if (stateMachine.members().getMembersCount() == 0 && config.initialClusterState() == InitialClusterState.EXISTING) {
      relearnMembersOfJoiner(config, stateMachine, lookup, clusterId);
    }
    LOG.info("restarting member {} in cluster {} from {} (applied index {}, log {}..{})",
        MemberIds.toHex(memberId), MemberIds.toHex(clusterId), config.dataDir(),
        stateMachine.applied().index(), state.snapshot().index(), state.lastIndex());
    RaftLogStore log = RaftLogStore.recover(wal, state, confState);
    timeline.walRead(state.entries().size(), state.snapshot().index(), stateMachine.applied().index(),
        state.hardState().commit());
    return new Member(memberId, clusterId, MemberOptions.from(config), log, stateMachine,
        transportFactory.create(memberId, clusterId, stateMachine::members), confState, snapshots, fatal, timeline);
  }

  private static Member bootstrapNew(ServerConfig config, StateMachine stateMachine,
      PeerTransportFactory transportFactory, FatalErrorHandler fatal, StartTimeline timeline) throws IOException {
    ClusterMembers members = initialMembers(config);
    long memberId = MemberIds.memberId(config.initialAdvertisePeerUrls(), config.initialClusterToken());
    Set<Long> voters = new HashSet<>();
    members.getMembersList().forEach(m -> voters.add(m.getId()));
    ConfState confState = new ConfState(voters, Set.of());
    LOG.info("bootstrapping member {} ({}) of new cluster {} with {} member(s)", MemberIds.toHex(memberId),
        config.name(), MemberIds.toHex(members.getClusterId()), voters.size());
    // Known at once: the peer transport needs the peers' URLs before the bootstrap entries apply.
    stateMachine.bootstrap(members);
    Wal wal = Wal.create(config.walDir(), new WalMetadata(memberId, members.getClusterId()),
        new WalOptions(config.walSegmentBytes()));
    RaftLogStore log = RaftLogStore.bootstrap(wal, members);
    SnapshotDirectory snapshots = SnapshotDirectory.of(config.dataDir());
    SnapshotInstaller.finishInterrupted(snapshots, 0, stateMachine); // only clears leftovers here
    return new Member(memberId, members.getClusterId(), MemberOptions.from(config), log, stateMachine,
        transportFactory.create(memberId, members.getClusterId(), stateMachine::members), confState, snapshots, fatal, timeline);
  }

  private static Member join(ServerConfig config, StateMachine stateMachine,
      PeerTransportFactory transportFactory, ClusterLookup lookup, FatalErrorHandler fatal, StartTimeline timeline)
      throws IOException {
    ClusterMembers members = lookup.members(otherPeerUrls(config));
    MemberAttributes self = findSelf(config, members);
    if (self == null) {
      throw new ConfigException("--initial-advertise-peer-urls", "member has not been added to the cluster; "
          + "run etcdctl member add first (no member of cluster " + MemberIds.toHex(members.getClusterId())
          + " has the peer URLs " + config.initialAdvertisePeerUrls() + ")");
    }
    long memberId = self.getId();
    long clusterId = members.getClusterId();
    LOG.info("member {} ({}) joins running cluster {} of {} member(s); waiting for the leader to replicate",
        MemberIds.toHex(memberId), config.name(), MemberIds.toHex(clusterId), members.getMembersCount());
    // In memory only, so the transport can answer the leader before the replicated log or snapshot
    // (which carry the same membership) has applied.
    stateMachine.bootstrap(members);
    Wal wal = Wal.create(config.walDir(), new WalMetadata(memberId, clusterId), new WalOptions(config.walSegmentBytes()));
    RaftLogStore log = RaftLogStore.empty(wal);
    SnapshotDirectory snapshots = SnapshotDirectory.of(config.dataDir());
    SnapshotInstaller.finishInterrupted(snapshots, 0, stateMachine); // only clears leftovers here
    return new Member(memberId, clusterId, MemberOptions.from(config), log, stateMachine,
        transportFactory.create(memberId, clusterId, stateMachine::members), ConfState.EMPTY, snapshots, fatal, timeline);
  }

  /**
   * A member that joined and stopped before anything was replicated to it has no membership on
   * disk, so it could not answer the leader: it asks the running members again.
   */
  private static void relearnMembersOfJoiner(ServerConfig config, StateMachine stateMachine, ClusterLookup lookup,
      long clusterId) {
    try {
      ClusterMembers members = lookup.members(otherPeerUrls(config));
      if (members.getClusterId() == clusterId) {
        stateMachine.bootstrap(members);
      }
    } catch (ConfigException e) {
      LOG.warn("no membership applied yet and no running member answered: {}", e.getMessage());
    }
  }

  /** The peer URLs of every member of {@code --initial-cluster} except this one. */
  static List<URI> otherPeerUrls(ServerConfig config) {
    Set<String> own = new HashSet<>();
    config.initialAdvertisePeerUrls().forEach(u -> own.add(u.toString()));
    List<URI> others = new ArrayList<>();
    for (List<URI> urls : config.initialCluster().values()) {
      if (urls.stream().noneMatch(u -> own.contains(u.toString()))) {
        others.addAll(urls);
      }
    }
    if (others.isEmpty()) {
      throw new ConfigException("--initial-cluster", "names no member other than this one; with "
          + "--initial-cluster-state existing it must list the running members (as etcdctl member add prints)");
    }
    return others;
  }

  /** The member whose peer URLs are exactly this member's {@code --initial-advertise-peer-urls}. */
  private static MemberAttributes findSelf(ServerConfig config, ClusterMembers members) {
    Set<String> own = new HashSet<>();
    config.initialAdvertisePeerUrls().forEach(u -> own.add(u.toString()));
    for (MemberAttributes m : members.getMembersList()) {
      if (new HashSet<>(m.getPeerUrlsList()).equals(own)) {
        return m;
      }
    }
    return null;
  }

  /** The membership {@code --initial-cluster} describes: ids, names and peer URLs. */
  static ClusterMembers initialMembers(ServerConfig config) {
    List<Long> ids = new ArrayList<>();
    ClusterMembers.Builder builder = ClusterMembers.newBuilder();
    for (Map.Entry<String, List<URI>> e : config.initialCluster().entrySet()) {
      long id = MemberIds.memberId(e.getValue(), config.initialClusterToken());
      if (ids.contains(id)) {
        throw new ConfigException("--initial-cluster", "members '" + e.getKey()
            + "' and another have the same peer URLs; every member needs its own");
      }
      ids.add(id);
      MemberAttributes.Builder m = MemberAttributes.newBuilder().setId(id).setName(e.getKey());
      e.getValue().forEach(u -> m.addPeerUrls(u.toString()));
      builder.addMembers(m); // client URLs arrive when each member publishes them

    }
    return builder.setClusterId(MemberIds.clusterId(ids)).build();
  }
}
