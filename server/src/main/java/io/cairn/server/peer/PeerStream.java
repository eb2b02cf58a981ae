package io.cairn.server.peer;

import io.cairn.raft.Message;
import io.cairn.server.internal.PeerAck;
import io.cairn.server.internal.PeerEnvelope;
import io.cairn.server.internal.RaftPeerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * The long-lived stream carrying raft messages to one peer. Used by the raft loop thread only,
 * and never blocks it: while the stream is congested (gRPC reports it not ready: the peer is not
 * reading, for example paused or overloaded) a bounded number and size of envelopes may still be
 * queued; beyond that messages are dropped and the peer reported unreachable, so raft falls back
 * to probing instead of piling up appends. The byte bound matters: a follower that resumes after a
 * pause answers a burst of queued heartbeats, and raft answers each answer from a probing follower
 * with an append of up to max-size-per-msg, so a count bound alone let hundreds of megabytes queue
 * (a member with a 256 MiB heap ran out of it in a Jepsen pause run). A broken stream is reopened
 * on a later send, no more often than every {@link #RECONNECT_BACKOFF_NANOS}.
 */
final class PeerStream implements AutoCloseable {
  static final long RECONNECT_BACKOFF_NANOS = 100_000_000L;
  /** Envelopes accepted while gRPC reports the stream not ready (it buffers them). */
  static final int MAX_UNREADY_ENVELOPES = 512;
  /** Serialized bytes accepted while gRPC reports the stream not ready. */
  static final long MAX_UNREADY_BYTES = 8L << 20;

  private final long peerId;
  private final long clusterId;
  private final long selfId;
  private final ManagedChannel channel;
  private final LongConsumer unreachable;
  /** Told when the peer refuses this member's messages because the cluster removed it. */
  private final Runnable removed;

  /** Current call; replaced when it breaks. Loop thread only. */
  private ClientCallStreamObserver<PeerEnvelope> call;
  private volatile boolean broken;
  private long lastOpenNanos;
  /** Envelopes and bytes handed to gRPC since it last reported the stream ready. */
  private final AtomicInteger unready = new AtomicInteger();
  private final AtomicLong unreadyBytes = new AtomicLong();

  PeerStream(long peerId, long clusterId, long selfId, ManagedChannel channel, LongConsumer unreachable,
      Runnable removed) {
    this.removed = removed;
    this.peerId = peerId;
    this.clusterId = clusterId;
    this.selfId = selfId;
    this.channel = channel;
    this.unreachable = unreachable;
  }

  void send(List<Message> messages) {
    if (call == null || broken) {
      long now = System.nanoTime();
      if (call != null && now - lastOpenNanos < RECONNECT_BACKOFF_NANOS) {
        unreachable.accept(peerId);
        return;
      }
      open(now);
    }
    for (List<Message> group : EnvelopePlan.envelopes(EnvelopePlan.withoutSupersededAppends(messages))) {
      if (!sendEnvelope(group)) {
        return; // congested: the rest would be refused too
      }
    }
  }

  /** Sends one envelope; false (peer reported unreachable) when the congested stream has no room. */
  private boolean sendEnvelope(List<Message> messages) {
    PeerEnvelope.Builder builder = PeerEnvelope.newBuilder().setClusterId(clusterId).setFromMember(selfId);
    for (Message m : messages) {
      builder.addMessages(MessageCodec.encode(m));
    }
    PeerEnvelope envelope = builder.build();
    if (!call.isReady()) {
      int size = envelope.getSerializedSize();
      int envelopes = unready.incrementAndGet();
      long bytes = unreadyBytes.addAndGet(size);
      if (envelopes > MAX_UNREADY_ENVELOPES || bytes > MAX_UNREADY_BYTES) {
        // Not queued after all: only what gRPC holds counts (the ready handler may have reset both
        // in between, which at worst lets a little more through).
        unready.decrementAndGet();
        unreadyBytes.addAndGet(-size);
        unreachable.accept(peerId);
        return false;
      }
    }
    call.onNext(envelope);
    return true;
  }

  /** Bytes handed to gRPC since it last reported the stream ready (for tests). */
  long unreadyBytes() {
    return unreadyBytes.get();
  }

  private void open(long now) {
    if (call != null) {
      call.cancel("reconnecting", null);
      // The channel backs off its reconnects exponentially (gRPC: 1 s, 1.6 s, ... up to 2 min), so
      // a peer that was down for a while would wait that long to hear from us once it is back: a
      // restarted follower would miss the leader's heartbeats and catch up seconds late. This
      // stream already limits reopening to once per RECONNECT_BACKOFF_NANOS.
      channel.resetConnectBackoff();
    }
    lastOpenNanos = now;
    broken = false;
    unready.set(0);
    unreadyBytes.set(0);
    RaftPeerGrpc.newStub(channel).send(new ClientResponseObserver<PeerEnvelope, PeerAck>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<PeerEnvelope> requestStream) {
        call = requestStream;
        requestStream.setOnReadyHandler(() -> {
          unready.set(0);
          unreadyBytes.set(0);
        });
      }

      @Override
      public void onNext(PeerAck value) { }

      @Override
      public void onError(Throwable t) {
        broken = true;
        if (Status.fromThrowable(t).getCode() == Status.Code.PERMISSION_DENIED) {
          removed.run(); // RaftPeerService refuses a removed member's traffic with this code only
        }
      }

      @Override
      public void onCompleted() {
        broken = true;
      }
    });
  }

  @Override
  public void close() {
    if (call != null) {
      call.onCompleted();
    }
    channel.shutdownNow();
  }
}
