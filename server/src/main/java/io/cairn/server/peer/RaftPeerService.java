package io.cairn.server.peer;

import io.cairn.raft.Message;
import io.cairn.raft.MessageType;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MembersRequest;
import io.cairn.server.internal.PeerAck;
import io.cairn.server.internal.PeerEnvelope;
import io.cairn.server.internal.RaftMessage;
import io.cairn.server.internal.RaftPeerGrpc;
import io.cairn.server.internal.SnapshotChunk;
import io.cairn.server.member.Member;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives raft messages from peers and hands them to the member. Traffic from another cluster
 * (a different cluster id) or from a member this cluster removed is refused, so a stale or
 * misconfigured process cannot disturb the cluster.
 */
final class RaftPeerService extends RaftPeerGrpc.RaftPeerImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(RaftPeerService.class);

  private final Member member;
  private final LongPredicate removed;
  private final PeerFaults faults;
  private final ScheduledExecutorService delayed;
  private final SnapshotReceiver snapshots;
  /** The applied membership, answered to members joining the cluster. */
  private final Supplier<ClusterMembers> members;
  private final PeerActivityTracker activity;

  RaftPeerService(Member member, LongPredicate removed, PeerFaults faults,
      ScheduledExecutorService delayed, SnapshotReceiver snapshots,
      Supplier<ClusterMembers> members, PeerActivityTracker activity) {
    this.members = members;
    this.activity = activity;
    this.member = member;
    this.removed = removed;
    this.faults = faults;
    this.delayed = delayed;
    this.snapshots = snapshots;
  }

  @Override
  public StreamObserver<PeerEnvelope> send(StreamObserver<PeerAck> ack) {
    return new StreamObserver<>() {
      private boolean refused;

      @Override
      public void onNext(PeerEnvelope envelope) {
        if (refused) {
          return;
        }
        Status problem = check(envelope);
        List<Message> messages = problem == null ? new ArrayList<>(envelope.getMessagesCount()) : List.of();
        for (int i = 0; problem == null && i < envelope.getMessagesCount(); i++) {
          try {
            messages.add(MessageCodec.decode(envelope.getMessages(i)));
          } catch (IllegalArgumentException e) {
            problem = Status.INVALID_ARGUMENT.withDescription("cannot decode raft message: " + e.getMessage());
          }
        }
        if (problem != null) {
          refused = true;
          LOG.warn("refusing raft messages from member {}: {}", Long.toHexString(envelope.getFromMember()),
              problem.getDescription());
          ack.onError(problem.asRuntimeException());
          return;
        }
        long from = envelope.getFromMember();
        if (faults.drop(from, member.memberId())) {
          return;
        }
        activity.heard(from);
        long delay = faults.delayMillis(from, member.memberId());
        if (delay > 0) {
          delayed.schedule(() -> messages.forEach(member::receive), delay, TimeUnit.MILLISECONDS);
        } else {
          messages.forEach(member::receive);
        }
      }

      @Override
      public void onError(Throwable t) { }

      @Override
      public void onCompleted() {
        if (!refused) {
          ack.onNext(PeerAck.getDefaultInstance());
          ack.onCompleted();
        }
      }
    };
  }

  /** A leader's snapshot, streamed in chunks (see {@link SnapshotReceiver}). */
  @Override
  public StreamObserver<SnapshotChunk> sendSnapshot(StreamObserver<PeerAck> ack) {
    return snapshots.receive(ack);
  }

  /** The applied membership with the cluster id, for a member joining with no data yet. */
  @Override
  public void members(MembersRequest request,
      StreamObserver<ClusterMembers> observer) {
    observer.onNext(members.get().toBuilder().setClusterId(member.clusterId()).build());
    observer.onCompleted();
  }

  private Status check(PeerEnvelope envelope) {
    if (envelope.getClusterId() != member.clusterId()) {
      return Status.FAILED_PRECONDITION.withDescription("cluster id mismatch: this member is in cluster "
          + Long.toHexString(member.clusterId()) + ", the sender in " + Long.toHexString(envelope.getClusterId()));
    }
    if (removed.test(envelope.getFromMember())) {
      return Status.PERMISSION_DENIED.withDescription("member " + Long.toHexString(envelope.getFromMember())
          + " was removed from the cluster");
    }
    for (RaftMessage m : envelope.getMessagesList()) {
      if (m.getType() == MessageType.SNAP.code()) {
        return Status.INVALID_ARGUMENT.withDescription("snapshots travel on SendSnapshot, not in envelopes");
      }
      if (m.getFrom() != envelope.getFromMember() || m.getTo() != member.memberId()) {
        return Status.INVALID_ARGUMENT.withDescription("message from " + Long.toHexString(m.getFrom()) + " to "
            + Long.toHexString(m.getTo()) + " does not match the envelope or this member");
      }
    }
    return null;
  }
}
