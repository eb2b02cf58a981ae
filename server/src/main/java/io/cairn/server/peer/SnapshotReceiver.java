package io.cairn.server.peer;

import io.cairn.raft.Message;
import io.cairn.raft.MessageType;
import io.cairn.server.internal.PeerAck;
import io.cairn.server.internal.SnapshotChunk;
import io.cairn.server.member.SnapshotDirectory;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives a snapshot a leader streams with {@code SendSnapshot} (see {@link SnapshotSender}):
 * writes the checkpoint's files into a partial directory of the {@link SnapshotDirectory}, and only
 * once the stream completed with every file whole does it stage them (fsynced, renamed atomically)
 * and hand the raft message to the member. Raft then installs the staged checkpoint; a transfer
 * that breaks or is refused leaves nothing behind and raft never hears of it.
 *
 * <p>Refused, like raft messages on the other stream: a sender from another cluster (cluster id
 * checked on every chunk), a removed member, and a message not addressed to this member.
 */
final class SnapshotReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotReceiver.class);
  /** What a checkpoint's file names look like; anything else (a path, "..") is refused. */
  private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

  private final long selfId;
  private final long clusterId;
  private final Consumer<Message> deliver;
  private final LongPredicate removed;
  private final LongPredicate unreachableFrom;
  private final SnapshotDirectory directory;

  /**
   * @param deliver hands the snapshot's raft message to the member once its content is staged
   * @param removed whether a member id was removed from the cluster
   * @param unreachableFrom whether messages from a member are not to arrive (injected partitions)
   */
  SnapshotReceiver(long selfId, long clusterId, Consumer<Message> deliver, LongPredicate removed,
      LongPredicate unreachableFrom, SnapshotDirectory directory) {
    this.selfId = selfId;
    this.clusterId = clusterId;
    this.deliver = deliver;
    this.removed = removed;
    this.unreachableFrom = unreachableFrom;
    this.directory = directory;
  }

  StreamObserver<SnapshotChunk> receive(StreamObserver<PeerAck> ack) {
    return new Transfer(ack);
  }

  /** One incoming transfer. gRPC calls it serially. */
  private final class Transfer implements StreamObserver<SnapshotChunk> {
    private final StreamObserver<PeerAck> ack;
    /** The snapshot's raft message, from the first chunk; null until then. */
    private Message message;
    private Path partial;
    /** The file being written (null between files), its name and the bytes written so far. */
    private FileChannel file;
    private String fileName;
    private long written;
    private final Set<String> complete = new HashSet<>();
    /** Set once the transfer failed: later chunks are ignored, the partial files are gone. */
    private boolean failed;

    Transfer(StreamObserver<PeerAck> ack) {
      this.ack = ack;
    }

    @Override
    public void onNext(SnapshotChunk chunk) {
      if (failed) {
        return;
      }
      try {
        if (chunk.getClusterId() != clusterId) {
          throw Status.FAILED_PRECONDITION.withDescription("cluster id mismatch: this member is in cluster "
              + Long.toHexString(clusterId) + ", the sender in " + Long.toHexString(chunk.getClusterId()))
              .asException();
        }
        boolean first = message == null;
        if (first) {
          start(chunk);
        }
        if (!first || !chunk.getFileName().isEmpty()) {
          write(chunk); // the first chunk may carry file data too
        }
      } catch (StatusException e) {
        fail(e.getStatus());
      } catch (IOException | RuntimeException e) {
        fail(Status.INTERNAL.withDescription("cannot store snapshot chunk: " + e).withCause(e));
      }
    }

    private void start(SnapshotChunk chunk) throws StatusException {
      if (!chunk.hasMessage()) {
        throw Status.INVALID_ARGUMENT.withDescription("the first snapshot chunk must carry the raft message")
            .asException();
      }
      Message m;
      try {
        m = MessageCodec.decode(chunk.getMessage());
      } catch (IllegalArgumentException e) {
        throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
      }
      if (m.type() != MessageType.SNAP || m.snapshot() == null || m.to() != selfId) {
        throw Status.INVALID_ARGUMENT.withDescription("expected a snapshot message to " + Long.toHexString(selfId)
            + ", got " + m.type() + " to " + Long.toHexString(m.to())).asException();
      }
      if (removed.test(m.from())) {
        throw Status.PERMISSION_DENIED.withDescription("member " + Long.toHexString(m.from())
            + " was removed from the cluster").asException();
      }
      if (unreachableFrom.test(m.from())) {
        throw Status.UNAVAILABLE.withDescription("member " + Long.toHexString(m.from()) + " is cut off").asException();
      }
      message = m;
      partial = directory.newPartial(m.snapshot().metadata().term(), m.snapshot().metadata().index());
    }

    private void write(SnapshotChunk chunk) throws StatusException, IOException {
      String name = chunk.getFileName();
      if (file == null) {
        if (!FILE_NAME.matcher(name).matches() || complete.contains(name) || chunk.getOffset() != 0) {
          throw Status.INVALID_ARGUMENT.withDescription("unexpected start of snapshot file '" + name
              + "' at offset " + chunk.getOffset()).asException();
        }
        file = FileChannel.open(partial.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        fileName = name;
        written = 0;
      } else if (!name.equals(fileName) || chunk.getOffset() != written) {
        throw Status.INVALID_ARGUMENT.withDescription("snapshot chunk of '" + name + "' at offset "
            + chunk.getOffset() + " does not continue '" + fileName + "' at " + written).asException();
      }
      ByteBuffer data = chunk.getData().asReadOnlyByteBuffer();
      while (data.hasRemaining()) {
        written += file.write(data);
      }
      if (chunk.getLastChunkOfFile()) {
        file.force(true);
        file.close();
        file = null;
        complete.add(fileName);
      }
    }

    @Override
    public void onError(Throwable t) {
      if (!failed) {
        LOG.warn("snapshot transfer from {} broke off: {}", message == null ? "?" : Long.toHexString(message.from()),
            t.toString());
        discard();
      }
    }

    @Override
    public void onCompleted() {
      if (failed) {
        return;
      }
      if (message == null || file != null || complete.isEmpty()) {
        fail(Status.INVALID_ARGUMENT.withDescription(message == null ? "empty snapshot stream"
            : "snapshot stream ended inside file '" + fileName + "' or without files"));
        return;
      }
      long term = message.snapshot().metadata().term();
      long index = message.snapshot().metadata().index();
      try {
        directory.stage(partial, term, index);
      } catch (IOException | RuntimeException e) {
        fail(Status.INTERNAL.withDescription("cannot stage the snapshot: " + e).withCause(e));
        return;
      }
      LOG.info("received snapshot at index {} term {} ({} files) from {}", index, term, complete.size(),
          Long.toHexString(message.from()));
      deliver.accept(message);
      ack.onNext(PeerAck.getDefaultInstance());
      ack.onCompleted();
    }

    private void fail(Status status) {
      LOG.warn("refusing snapshot{}: {}", message == null ? "" : " from " + Long.toHexString(message.from()),
          status.getDescription());
      discard();
      ack.onError(status.asRuntimeException());
    }

    private void discard() {
      failed = true;
      if (file != null) {
        try {
          file.close();
        } catch (IOException ignored) {
          // the directory goes next
        }
        file = null;
      }
      if (partial != null) {
        SnapshotDirectory.deleteTree(partial);
      }
    }
  }
}
