package io.cairn.server.peer;

import io.cairn.raft.Message;
import io.cairn.raft.MessageType;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MemberAttributes;
import io.cairn.server.member.PeerTransport;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

  private final long clusterId;
  private final long selfId;
  private final Map<Long, URI> peerUrls = new ConcurrentHashMap<>();
  private final Map<Long, PeerStream> streams = new HashMap<>();
  private volatile LongConsumer unreachable = id -> { };
  /** Sends SNAP messages; null until the member serves (none can be due before). */
  private volatile SnapshotSender snapshots;

  GrpcPeerTransport(ClusterMembers members, long selfId) {
    this.clusterId = members.getClusterId();
    this.selfId = selfId;
    updateMembers(members);
  }

  void onUnreachable(LongConsumer listener) {
    this.unreachable = listener;
  }

  void sendSnapshotsWith(SnapshotSender sender) {
    this.snapshots = sender;
  }

  /** Peers' URLs changed (membership applied); streams to changed peers are reopened lazily. */
  void updateMembers(ClusterMembers members) {
    for (MemberAttributes m : members.getMembersList()) {
      if (m.getId() != selfId && m.getPeerUrlsCount() > 0) {
        peerUrls.put(m.getId(), URI.create(m.getPeerUrls(0)));
      }
    }
  }

  @Override
  public void send(List<Message> messages) {
    if (messages.isEmpty()) {
      return;
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

  private void sendSnapshot(Message m) {
    SnapshotSender sender = snapshots;
    if (sender == null) {
      LOG.warn("dropping a snapshot to {}: the member is not serving yet", Long.toHexString(m.to()));
      return;
    }
    sender.send(m, peerUrls.get(m.to()));
  }

  private PeerStream openStream(long peer) {
    URI url = peerUrls.get(peer);
    if (url == null) {
      return null;
    }
    return new PeerStream(peer, clusterId, selfId, NettyChannelBuilder.forAddress(url.getHost(), url.getPort())
        .usePlaintext()
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .keepAliveTime(30, TimeUnit.SECONDS)
        .build(), id -> unreachable.accept(id));
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
