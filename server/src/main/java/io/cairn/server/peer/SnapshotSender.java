package io.cairn.server.peer;

import com.google.protobuf.ByteString;
import io.cairn.raft.Message;
import io.cairn.server.internal.PeerAck;
import io.cairn.server.internal.RaftPeerGrpc;
import io.cairn.server.internal.SnapshotChunk;
import io.cairn.server.member.SnapshotDirectory;
import io.grpc.ManagedChannel;
import io.cairn.server.tls.Dialer;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends raft snapshots to followers that are behind the leader's compacted log. The raft message
 * carries only the snapshot's metadata; its content is a RocksDB checkpoint of this member's
 * store, taken when the transfer starts and streamed file by file in chunks of
 * {@link #CHUNK_BYTES} over {@code SendSnapshot}, the first chunk carrying the raft message.
 *
 * <p>Why a thread of its own: a checkpoint and a transfer take far longer than a raft turn, and the
 * raft loop must never wait on a follower. The outcome goes back to raft through
 * {@link SnapshotSource#reportSnapshot}, which lets raft resume replication or try again.
 */
final class SnapshotSender implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotSender.class);
  /** Size of the file data in one chunk. */
  static final int CHUNK_BYTES = 1 << 20;
  /** Longest a whole transfer may take before it counts as failed. */
  static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(5);
  /**
   * After a failed transfer to a follower, how long further snapshots to it fail at once: raft asks
   * again as soon as the follower answers a heartbeat, and each attempt costs a checkpoint.
   */
  static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

  /** What the sender needs from the member. */
  interface SnapshotSource {
    /** Writes a consistent copy of the state machine to {@code dir} (which must not exist). */
    void checkpoint(Path dir);

    /** Tells raft how sending to {@code peer} ended. */
    void reportSnapshot(long peer, boolean success);
  }

  private final long clusterId;
  private final long retryBackoffNanos;
  private final SnapshotSource source;
  private final SnapshotDirectory directory;
  private final ExecutorService threads;
  /** Followers a transfer is running to; raft sends one snapshot per follower at a time. */
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  /** When the last transfer to each follower failed (System.nanoTime()); cleared by a success. */
  private final Map<Long, Long> lastFailure = new ConcurrentHashMap<>();

  /** Opens the channel of each transfer (TLS for an https:// peer URL). */
  private final Dialer dialer;

  SnapshotSender(long clusterId, SnapshotSource source, SnapshotDirectory directory, Dialer dialer) {
    this(clusterId, source, directory, RETRY_BACKOFF, dialer);
  }

  SnapshotSender(long clusterId, SnapshotSource source, SnapshotDirectory directory) {
    this(clusterId, source, directory, RETRY_BACKOFF, Dialer.PLAINTEXT);
  }

  SnapshotSender(long clusterId, SnapshotSource source, SnapshotDirectory directory, Duration retryBackoff) {
    this(clusterId, source, directory, retryBackoff, Dialer.PLAINTEXT);
  }

  SnapshotSender(long clusterId, SnapshotSource source, SnapshotDirectory directory, Duration retryBackoff,
      Dialer dialer) {
    this.dialer = dialer;
    this.retryBackoffNanos = retryBackoff.toNanos();
    this.clusterId = clusterId;
    this.source = source;
    this.directory = directory;
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "cairn-snapshot-send-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Tells raft that a snapshot for {@code peer} was not sent (it will try again). */
  void reportFailed(long peer) {
    source.reportSnapshot(peer, false);
  }

  /** Starts sending {@code snapshot} (a SNAP message) to the follower at {@code url}; never blocks. */
  void send(Message snapshot, URI url) {
    long peer = snapshot.to();
    Long failedAt = lastFailure.get(peer);
    if (failedAt != null && System.nanoTime() - failedAt < retryBackoffNanos) {
      source.reportSnapshot(peer, false);
      return;
    }
    if (!inFlight.add(peer)) {
      LOG.debug("snapshot to {} already in flight; dropping the duplicate", Long.toHexString(peer));
      return;
    }
    try {
      threads.execute(() -> transfer(snapshot, url));
    } catch (RejectedExecutionException closed) {
      inFlight.remove(peer);
    }
  }

  private void transfer(Message snapshot, URI url) {
    long peer = snapshot.to();
    boolean success = false;
    Path checkpoint = null;
    try {
      if (url == null) {
        throw new IOException("no peer URL known for member " + Long.toHexString(peer));
      }
      checkpoint = directory.newOutgoing(peer);
      source.checkpoint(checkpoint);
      long start = System.nanoTime();
      long bytes = stream(snapshot, url, checkpoint);
      success = true;
      LOG.info("sent snapshot at index {} ({} bytes) to {} in {} ms", snapshot.snapshot().metadata().index(), bytes,
          Long.toHexString(peer), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.warn("sending snapshot at index {} to {} failed: {}", snapshot.snapshot().metadata().index(),
          Long.toHexString(peer), e.toString());
    } finally {
      if (checkpoint != null) {
        SnapshotDirectory.deleteTree(checkpoint);
      }
      if (success) {
        lastFailure.remove(peer);
      } else {
        lastFailure.put(peer, System.nanoTime());
      }
      inFlight.remove(peer);
      source.reportSnapshot(peer, success);
    }
  }

  /** Streams the checkpoint; returns the file bytes sent once the receiver acknowledged them all. */
  private long stream(Message snapshot, URI url, Path checkpoint) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TRANSFER_TIMEOUT.toNanos();
    ManagedChannel channel = dialer.channelTo(url).build();
    try {
      Call call = new Call();
      RaftPeerGrpc.newStub(channel).withDeadlineAfter(TRANSFER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .sendSnapshot(call);
      call.send(SnapshotChunk.newBuilder().setClusterId(clusterId).setMessage(MessageCodec.encode(snapshot))
          .build(), deadline);
      long bytes = 0;
      for (Path file : files(checkpoint)) {
        bytes += sendFile(call, file, deadline);
      }
      call.requests.onCompleted();
      call.awaitOutcome(deadline);
      return bytes;
    } finally {
      channel.shutdownNow();
    }
  }

  private long sendFile(Call call, Path file, long deadline) throws IOException, InterruptedException {
    String name = file.getFileName().toString();
    long size = Files.size(file); // checkpoint files are immutable
    long offset = 0;
    byte[] buffer = new byte[CHUNK_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      boolean last;
      do {
        int n = in.readNBytes(buffer, 0, buffer.length);
        last = offset + n >= size;
        if (n == 0 && !last) {
          throw new IOException("checkpoint file " + file + " ended before its size " + size);
        }
        call.send(SnapshotChunk.newBuilder()
            .setClusterId(clusterId)
            .setFileName(name)
            .setOffset(offset)
            .setData(ByteString.copyFrom(buffer, 0, n))
            .setLastChunkOfFile(last)
            .build(), deadline);
        offset += n;
      } while (!last);
    }
    return offset;
  }

  private static List<Path> files(Path checkpoint) throws IOException {
    try (Stream<Path> files = Files.list(checkpoint)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** One SendSnapshot call: sends with gRPC flow control and waits for the receiver's verdict. */
  private static final class Call implements ClientResponseObserver<SnapshotChunk, PeerAck> {
    private final Object readiness = new Object();
    private final CompletableFuture<Void> outcome = new CompletableFuture<>();
    private ClientCallStreamObserver<SnapshotChunk> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<SnapshotChunk> requestStream) {
      requests = requestStream;
      requestStream.setOnReadyHandler(this::wake);
    }

    /** Sends {@code chunk} once the stream has room (never buffering more than gRPC's window). */
    void send(SnapshotChunk chunk, long deadline) throws IOException, InterruptedException {
      synchronized (readiness) {
        while (!requests.isReady()) {
          if (outcome.isDone()) {
            awaitOutcome(deadline); // throws the receiver's refusal
            throw new IOException("receiver closed the snapshot stream early");
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            requests.cancel("snapshot transfer timed out", null);
            throw new IOException("snapshot transfer timed out");
          }
          readiness.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 1_000)));
        }
      }
      requests.onNext(chunk);
    }

    void awaitOutcome(long deadline) throws IOException, InterruptedException {
      try {
        outcome.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        throw new IOException("receiver refused the snapshot: " + e.getCause().getMessage(), e.getCause());
      } catch (TimeoutException e) {
        requests.cancel("snapshot transfer timed out", null);
        throw new IOException("snapshot transfer timed out", e);
      }
    }

    private void wake() {
      synchronized (readiness) {
        readiness.notifyAll();
      }
    }

    @Override
    public void onNext(PeerAck value) { }

    @Override
    public void onError(Throwable t) {
      outcome.completeExceptionally(t);
      wake();
    }

    @Override
    public void onCompleted() {
      outcome.complete(null);
      wake();
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
