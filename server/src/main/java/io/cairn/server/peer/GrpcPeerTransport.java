package io.cairn.server.peer;

import io.cairn.raft.Message;
import io.cairn.raft.MessageType;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MemberAttributes;
import io.cairn.server.member.PeerTransport;
import io.cairn.server.tls.Dialer;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raft messages to peers over gRPC: one {@link PeerStream} per peer, opened on first use. The
 * messages of one Ready for the same peer travel in one envelope, in order.
 */
final class GrpcPeerTransport implements PeerTransport {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcPeerTransport.class);
  /** Room for the largest append (raft's max message size) plus snapshot chunks. */
  static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

  private final long selfId;
  private final long clusterId;
  /** The applied membership, where peers' URLs are looked up. */
  private final Supplier<ClusterMembers> members;
  private final Map<Long, PeerStream> streams = new HashMap<>();
  /** The URL each open stream was opened to. Loop thread only, like {@link #streams}. */
  private final Map<Long, URI> streamUrls = new HashMap<>();
  /** Set when the membership changed: streams to a changed URL or a removed member are closed. */
  private volatile boolean membershipChanged;
  private volatile LongConsumer unreachable = id -> { };
  private volatile Runnable removed = () -> { };
  /** Sends SNAP messages; null until the member serves. */
  private volatile SnapshotSender snapshots;
  /** Followers whose snapshot was due before {@link #snapshots} was set; reported failed once it is. */
  private final Queue<Long> snapshotsDroppedBeforeServing = new ConcurrentLinkedQueue<>();

  /** Opens the channel of each stream (TLS for an https:// peer URL). */
  private final Dialer dialer;

  GrpcPeerTransport(Supplier<ClusterMembers> members, long selfId, long clusterId) {
    this(members, selfId, clusterId, Dialer.PLAINTEXT);
  }

  GrpcPeerTransport(Supplier<ClusterMembers> members, long selfId, long clusterId, Dialer dialer) {
    this.dialer = dialer;
    this.members = members;
    this.selfId = selfId;
    this.clusterId = clusterId;
  }

  void onUnreachable(LongConsumer listener) {
    this.unreachable = listener;
  }

  /** Told when a peer refuses this member's messages because the cluster removed this member. */
  void onRemoved(Runnable listener) {
    this.removed = listener;
  }

  /** The applied membership changed (any thread); the next send re-checks the open streams. */
  void membershipChanged() {
    membershipChanged = true;
  }

  void sendSnapshotsWith(SnapshotSender sender) {
    this.snapshots = sender;
    reportSnapshotsDroppedBeforeServing(sender);
  }

  @Override
  public void send(List<Message> messages) {
    if (messages.isEmpty()) {
      return;
    }
    if (membershipChanged) {
      membershipChanged = false;
      closeStaleStreams();
    }
    Map<Long, List<Message>> byPeer = new LinkedHashMap<>();
    for (Message m : messages) {
      if (m.type() == MessageType.SNAP) {
        sendSnapshot(m); // its content is a checkpoint streamed apart, never on the message stream
      } else {
        byPeer.computeIfAbsent(m.to(), id -> new ArrayList<>()).add(m);
      }
    }
    byPeer.forEach((peer, batch) -> {
      PeerStream stream = streams.computeIfAbsent(peer, this::openStream);
      if (stream == null) {
        LOG.debug("dropping {} message(s) to unknown member {}", batch.size(), Long.toHexString(peer));
        streams.remove(peer);
        return;
      }
      stream.send(batch);
    });
  }

  /** Closes streams to members removed or given other peer URLs (reopened on the next send). */
  private void closeStaleStreams() {
    streams.entrySet().removeIf(e -> {
      URI current = peerUrl(e.getKey());
      if (current != null && current.equals(streamUrls.get(e.getKey()))) {
        return false;
      }
      LOG.info("closing the stream to member {}: its peer URL is now {}", Long.toHexString(e.getKey()), current);
      e.getValue().close();
      streamUrls.remove(e.getKey());
      return true;
    });
  }

  private void sendSnapshot(Message m) {
    SnapshotSender sender = snapshots;
    if (sender == null) {
      LOG.warn("deferring a snapshot to {}: the member is not serving yet", Long.toHexString(m.to()));
      snapshotsDroppedBeforeServing.add(m.to());
      sender = snapshots; // it may have arrived meanwhile: then report the failure now
      if (sender != null) {
        reportSnapshotsDroppedBeforeServing(sender);
      }
      return;
    }
    sender.send(m, peerUrl(m.to()));
  }

  /**
   * A snapshot raft asked for before the member served cannot be sent; raft waits for its outcome
   * before it sends that follower anything else, so it is reported failed (raft tries again).
   */
  private void reportSnapshotsDroppedBeforeServing(SnapshotSender sender) {
    Long peer;
    while ((peer = snapshotsDroppedBeforeServing.poll()) != null) {
      sender.reportFailed(peer);
    }
  }

  /** A member's first peer URL in the applied membership, or null if it is not (yet) known. */
  private URI peerUrl(long peer) {
    for (MemberAttributes m : members.get().getMembersList()) {
      if (m.getId() == peer && m.getPeerUrlsCount() > 0) {
        return URI.create(m.getPeerUrls(0));
      }
    }
    return null;
  }

  private PeerStream openStream(long peer) {
    URI url = peerUrl(peer);
    if (url == null) {
      return null; // not (yet) a known member: looked up again on the next send
    }
    streamUrls.put(peer, url);
    return new PeerStream(peer, clusterId, selfId, dialer.channelTo(url)
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .keepAliveTime(30, TimeUnit.SECONDS)
        .build(), id -> unreachable.accept(id), () -> removed.run());
  }

  @Override
  public void close() {
    SnapshotSender sender = snapshots;
    if (sender != null) {
      sender.close();
    }
    streams.values().forEach(PeerStream::close);
    streams.clear();
  }
}
