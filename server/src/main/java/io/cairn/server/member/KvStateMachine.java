package io.cairn.server.member;

import com.google.protobuf.InvalidProtocolBufferException;
import io.cairn.api.EtcdError;
import io.cairn.api.mvccpb.Event;
import io.cairn.raft.ConfChange;
import io.cairn.raft.ConfState;
import io.cairn.server.auth.AuthStore;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.ConfChangeContext;
import io.cairn.server.internal.LogRequest;
import io.cairn.server.internal.MemberAttributes;
import io.cairn.server.lease.Lessor;
import io.cairn.storage.kv.KvApplier;
import io.cairn.storage.kv.LeaseLookup;
import io.cairn.storage.mvcc.MetaKey;
import io.cairn.storage.mvcc.MvccStore;
import io.cairn.storage.mvcc.WriteTxn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The state machine of a Cairn member: etcd's KV on the {@link MvccStore}, plus the cluster's
 * membership (names and URLs), stored in the same RocksDB so that a membership change and its
 * raft index are written in one atomic batch.
 *
 * <p>Threading: the apply thread calls the {@link StateMachine} methods; any thread may read
 * {@link #applied()}, {@link #members()} and wait on {@link #compactionDone()}.
 */
public final class KvStateMachine implements StateMachine {
  static final MetaKey MEMBERS = MetaKey.of("cluster", "members");
  /** Superseded history examined per idle step of physical compaction. */
  static final int COMPACTION_STEP = 10_000;

  private final MvccStore store;
  private final KvApplier kv;
  private volatile ClusterMembers members;
  private volatile AppliedPoint applied;
  /** Applies lease grants and revokes; null when this state machine serves no leases. */
  private final Lessor lessor;
  /** Applies auth entries and checks clients' writes; null when this state machine has no auth. */
  private final AuthStore auth;
  /** Told of every new revision, on the apply thread, right after it is written (watch, leases). */
  private final List<RevisionListener> revisionListeners = new CopyOnWriteArrayList<>();
  /** Told of the membership after each conf change and snapshot install, on the apply thread. */
  private final List<Consumer<ClusterMembers>> membershipListeners =
      new CopyOnWriteArrayList<>();
  /** Completed when physical compaction has nothing pending. Guarded by this. */
  private final List<CompletableFuture<Void>> compactionWaiters = new ArrayList<>();

  public KvStateMachine(MvccStore store, int maxTxnOps) {
    this(store, LeaseLookup.ACCEPT_ALL, maxTxnOps);
  }

  public KvStateMachine(MvccStore store, LeaseLookup leases, int maxTxnOps) {
    this(store, leases, null, maxTxnOps, null);
  }

  /** A state machine that also applies lease grants and revokes, to {@code lessor}. */
  public KvStateMachine(MvccStore store, Lessor lessor, int maxTxnOps) {
    this(store, lessor, lessor, maxTxnOps, null);
  }

  /** A state machine with leases and etcd's auth, applied to {@code auth}. */
  public KvStateMachine(MvccStore store, Lessor lessor, int maxTxnOps, AuthStore auth) {
    this(store, lessor, lessor, maxTxnOps, auth);
  }

  private KvStateMachine(MvccStore store, LeaseLookup leases, Lessor lessor, int maxTxnOps, AuthStore auth) {
    this.lessor = lessor;
    this.auth = auth;
    this.store = store;
    this.kv = new KvApplier(store, leases, maxTxnOps);
    this.members = readMembers(store);
    this.applied = new AppliedPoint(store.appliedIndex(), store.appliedTerm(), confStateOf(members));
  }

  private static ClusterMembers readMembers(MvccStore store) {
    byte[] bytes = store.meta(MEMBERS);
    if (bytes == null) {
      return ClusterMembers.getDefaultInstance();
    }
    try {
      return ClusterMembers.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored cluster membership is unreadable", e);
    }
  }

  static ConfState confStateOf(ClusterMembers members) {
    Set<Long> voters = new HashSet<>();
    Set<Long> learners = new HashSet<>();
    for (MemberAttributes m : members.getMembersList()) {
      (m.getIsLearner() ? learners : voters).add(m.getId());
    }
    return new ConfState(voters, learners);
  }

  public KvApplier kv() {
    return kv;
  }

  @Override
  public AppliedPoint applied() {
    return applied;
  }

  @Override
  public ClusterMembers members() {
    return members;
  }

  @Override
  public void bootstrap(ClusterMembers initial) {
    // Only the in-memory view: the raft log's bootstrap entries carry the same members and
    // persist them when they apply, so nothing here needs to be durable.
    members = initial;
    applied = new AppliedPoint(store.appliedIndex(), store.appliedTerm(), confStateOf(initial));
  }

  /**
   * Told, on the apply thread, of each revision an applied entry created, before the next entry
   * applies (so before any compaction can remove it). {@code events} reads the revision's events
   * (with prev_kv) from the store once, only if some listener asks.
   */
  public interface RevisionListener {
    void revisionApplied(long revision, Supplier<List<Event>> events);
  }

  public void addRevisionListener(RevisionListener listener) {
    revisionListeners.add(listener);
  }

  private void notifyNewRevision(long before) {
    long revision = store.currentRevision();
    if (revision == before || revisionListeners.isEmpty()) {
      return;
    }
    List<List<Event>> read = new ArrayList<>(1);
    Supplier<List<Event>> events = () -> {
      if (read.isEmpty()) {
        read.add(store.events(revision, revision, Integer.MAX_VALUE));
      }
      return read.get(0);
    };
    for (RevisionListener listener : revisionListeners) {
      listener.revisionApplied(revision, events);
    }
  }

  @Override
  public Object apply(long index, long term, LogRequest request) {
    long revisionBefore = store.currentRevision();
    try {
      if (auth != null) {
        auth.checkPermitted(index, term, request);
      }
      Object response = switch (request.getRequestCase()) {
        case PUT -> kv.put(index, term, request.getPut()).response();
        case DELETE_RANGE -> kv.deleteRange(index, term, request.getDeleteRange()).response();
        case TXN -> kv.txn(index, term, request.getTxn()).response();
        case COMPACTION -> kv.compact(index, term, request.getCompaction()).response();
        case MEMBER_ATTRIBUTES -> {
          MemberAttributes attrs = request.getMemberAttributes();
          if (MembershipRules.find(members, attrs.getId()) == null) {
            store.markApplied(index, term); // a member removed meanwhile: nothing to update
          } else {
            updateMembers(index, term, withAttributes(members, attrs));
          }
          yield null;
        }
        case LEASE_GRANT -> leases().applyGrant(index, term, request.getLeaseGrant());
        case LEASE_REVOKE -> leases().applyRevoke(index, term, request.getLeaseRevoke());
        case LEASE_CHECKPOINT -> {
          store.markApplied(index, term); // remaining TTLs are not checkpointed (see Lessor)
          yield null;
        }
        default -> {
          if (auth != null && AuthStore.isAuthRequest(request)) {
            yield auth.apply(index, term, request);
          }
          store.markApplied(index, term);
          throw EtcdError.NOT_CAPABLE.exception();
        }
      };
      notifyNewRevision(revisionBefore);
      return response;
    } finally {
      applied = new AppliedPoint(index, term, applied.confState());
    }
  }

  private Lessor leases() {
    if (lessor == null) {
      throw EtcdError.NOT_CAPABLE.exception();
    }
    return lessor;
  }

  @Override
  public void applyEmpty(long index, long term) {
    store.markApplied(index, term);
    applied = new AppliedPoint(index, term, applied.confState());
  }

  @Override
  public void applyConfChange(long index, long term, ConfChange change, ConfState after) {
    ConfChangeContext context = ConfChangeContexts.decode(change.context());
    // The member's role follows what raft made of the change ({@code after}), so the list and
    // raft's configuration cannot part even for a change raft declined (the last voter's removal
    // or demotion, which only a race between two proposers could let through the checks).
    ClusterMembers next = switch (change.type()) {
      case ADD_NODE, ADD_LEARNER_NODE -> withPlaced(members, change.nodeId(),
          after.learners().contains(change.nodeId()), context.getMember());
      case REMOVE_NODE -> {
        if (after.contains(change.nodeId())) {
          yield members; // raft kept it: it was the last voter
        }
        ClusterMembers.Builder b = members.toBuilder().clearMembers();
        members.getMembersList().stream().filter(m -> m.getId() != change.nodeId()).forEach(b::addMembers);
        if (!b.getRemovedIdsList().contains(change.nodeId())) {
          b.addRemovedIds(change.nodeId());
        }
        yield b.build();
      }
    };
    updateMembers(index, term, next);
    applied = new AppliedPoint(index, term, after);
    membershipListeners.forEach(l -> l.accept(next));
  }

  /**
   * {@code members} with member {@code id} a learner or a voter. A new member takes its name and
   * peer URLs from {@code named} (a runtime-added member has no name until it starts and
   * publishes it); a known one keeps its name and client URLs, and its place in the list, and
   * takes new peer URLs if {@code named} carries some (a peer URL update, a replayed bootstrap).
   */
  private static ClusterMembers withPlaced(ClusterMembers members, long id, boolean learner, MemberAttributes named) {
    ClusterMembers.Builder next = members.toBuilder().clearMembers();
    boolean known = false;
    for (MemberAttributes m : members.getMembersList()) {
      if (m.getId() == id) {
        known = true;
        next.addMembers(placed(m.toBuilder(), learner, named));
      } else {
        next.addMembers(m);
      }
    }
    if (!known) {
      next.addMembers(placed(MemberAttributes.newBuilder().setId(id), learner, named));
    }
    return next.build();
  }

  private static MemberAttributes placed(MemberAttributes.Builder m, boolean learner, MemberAttributes named) {
    m.setIsLearner(learner);
    if (!named.getName().isEmpty()) {
      m.setName(named.getName());
    }
    if (named.getPeerUrlsCount() > 0) {
      m.clearPeerUrls().addAllPeerUrls(named.getPeerUrlsList());
    }
    return m.build();
  }

  /**
   * Told, on the apply thread, of the membership after each applied conf change (and after a
   * snapshot replaced it): a member learns here that it was removed.
   */
  public void addMembershipListener(Consumer<ClusterMembers> listener) {
    membershipListeners.add(listener);
  }

  private void updateMembers(long index, long term, ClusterMembers next) {
    try (WriteTxn txn = store.beginWrite()) {
      txn.putMeta(MEMBERS, next.toByteArray());
      txn.commit(index, term);
    }
    members = next;
  }

  /** {@code members} with {@code m} added, or replacing the member with the same id. */
  private static ClusterMembers withAttributes(ClusterMembers members, MemberAttributes m) {
    ClusterMembers.Builder next = members.toBuilder().clearMembers();
    boolean replaced = false;
    for (MemberAttributes existing : members.getMembersList()) {
      if (existing.getId() == m.getId()) {
        next.addMembers(existing.toBuilder().setName(m.getName()).clearClientUrls()
            .addAllClientUrls(m.getClientUrlsList()));
        replaced = true;
      } else {
        next.addMembers(existing);
      }
    }
    if (!replaced) {
      next.addMembers(m);
    }
    return next.build();
  }

  /**
   * Runs one bounded step of physical compaction when one is pending; called by the applier when
   * it has nothing else to do.
   */
  @Override
  public void doIdleWork() {
    if (!store.compactStep(COMPACTION_STEP)) {
      List<CompletableFuture<Void>> done;
      synchronized (this) {
        done = new ArrayList<>(compactionWaiters);
        compactionWaiters.clear();
      }
      done.forEach(f -> f.complete(null));
    }
  }

  /** Completes when no physical compaction is pending (what {@code physical: true} waits for). */
  public CompletableFuture<Void> compactionDone() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    synchronized (this) {
      if (!store.compactionPending()) {
        f.complete(null);
      } else {
        compactionWaiters.add(f);
      }
    }
    return f;
  }

  @Override
  public boolean hasIdleWork() {
    return store.compactionPending();
  }

  @Override
  public void flush() {
    store.flush();
  }

  @Override
  public void checkpoint(Path dir) {
    store.checkpoint(dir);
  }

  @Override
  public void installSnapshot(Path checkpoint) {
    installSnapshot(checkpoint, copied -> { });
  }

  /**
   * As {@link #installSnapshot(Path)}; {@code afterEachBatch} is told the records copied so far
   * (tests use it to simulate a crash midway).
   */
  public void installSnapshot(Path checkpoint, LongConsumer afterEachBatch) {
    long revisionBefore = store.currentRevision();
    store.replaceContents(checkpoint, afterEachBatch);
    members = readMembers(store);
    applied = new AppliedPoint(store.appliedIndex(), store.appliedTerm(), confStateOf(members));
    if (lessor != null) {
      lessor.reload();
    }
    if (auth != null) {
      auth.reload();
    }
    // Revision listeners see the jump: watchers then catch up from the store (the lessor, just
    // reloaded, finds the newest revision's attachments already in place).
    notifyNewRevision(revisionBefore);
    ClusterMembers installed = members;
    membershipListeners.forEach(l -> l.accept(installed));
  }

  @Override
  public void close() {
    // The store is owned by the server, which closes it after the member stopped.
  }
}
