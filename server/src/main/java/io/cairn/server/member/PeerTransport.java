package io.cairn.server.member;

import io.cairn.raft.Message;
import java.util.List;

/**
 * Sends raft messages to other members. Sending never blocks the raft loop: an implementation
 * queues and drops (raft retransmits) rather than wait for a slow or absent peer.
 */
public interface PeerTransport extends AutoCloseable {
  void send(List<Message> messages);

  @Override
  void close();
}
