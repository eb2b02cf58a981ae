package io.cairn.server.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.raft.ConfState;
import io.cairn.raft.Message;
import io.cairn.raft.MessageType;
import io.cairn.raft.Snapshot;
import io.cairn.raft.SnapshotMetadata;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.PeerAck;
import io.cairn.server.internal.RaftPeerGrpc;
import io.cairn.server.internal.SnapshotChunk;
import io.cairn.server.member.SnapshotDirectory;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot's checkpoint travelling from {@link SnapshotSender} to {@link SnapshotReceiver} over
 * real gRPC on loopback: files split into chunks arrive whole and are staged, and what must be
 * refused is refused without leaving anything behind. File contents come from a seeded generator
 * ({@code -Dcairn.transfer.seed=N} replays a failure).
 */
class SnapshotTransferTest {
  private static final long SEED = Long.getLong("cairn.transfer.seed", System.nanoTime());
  private static final long CLUSTER = 0xc1a5;
  private static final long LEADER = 1;
  private static final long FOLLOWER = 2;
  private static final long REMOVED = 9;
  private static final long TERM = 3;
  private static final long INDEX = 42;

  @TempDir Path dir;
  private SnapshotDirectory followerSnapshots;
  private SnapshotDirectory leaderSnapshots;
  private final List<Message> delivered = new CopyOnWriteArrayList<>();
  private Server server;
  private URI followerUrl;
  private Map<String, byte[]> files;

  @BeforeEach
  void start() throws IOException {
    System.out.println("SnapshotTransferTest seed " + SEED + " (replay: -Dcairn.transfer.seed=" + SEED + ")");
    Random random = new Random(SEED);
    files = new LinkedHashMap<>();
    files.put("000012.sst", randomBytes(random, 2 * SnapshotSender.CHUNK_BYTES + 1 + random.nextInt(4096)));
    files.put("000013.sst", randomBytes(random, SnapshotSender.CHUNK_BYTES)); // exactly one chunk
    files.put("MANIFEST-000005", randomBytes(random, 1 + random.nextInt(5000)));
    files.put("CURRENT", "MANIFEST-000005\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    files.put("OPTIONS-000007", new byte[0]);

    followerSnapshots = new SnapshotDirectory(dir.resolve("follower"));
    leaderSnapshots = new SnapshotDirectory(dir.resolve("leader"));
    SnapshotReceiver receiver = new SnapshotReceiver(FOLLOWER, CLUSTER, delivered::add, id -> id == REMOVED,
        id -> false, followerSnapshots);
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new RaftPeerGrpc.RaftPeerImplBase() {
          @Override
          public StreamObserver<SnapshotChunk> sendSnapshot(StreamObserver<PeerAck> ack) {
            return receiver.receive(ack);
          }
        })
        .build()
        .start();
    followerUrl = URI.create("http://127.0.0.1:" + server.getPort());
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void filesLargerThanOneChunkArriveWholeAndAreStaged() throws Exception {
    assertTrue(send(CLUSTER, LEADER, followerUrl), "transfer reported successful");
    assertEquals(1, delivered.size(), "the raft message reached the member once");
    assertEquals(INDEX, delivered.get(0).snapshot().metadata().index());
    assertEquals(Set.of(LEADER, FOLLOWER), delivered.get(0).snapshot().metadata().confState().voters());

    Path staged = followerSnapshots.staged(TERM, INDEX);
    assertNotNull(staged, "checkpoint staged for (term, index)");
    assertEquals(new TreeSet<>(files.keySet()), names(staged));
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      assertArrayEquals(f.getValue(), Files.readAllBytes(staged.resolve(f.getKey())), f.getKey());
    }
    assertEquals(Set.of(staged.getFileName().toString()), names(followerSnapshots.path()), "no partial left");
    assertEquals(Set.of(), names(leaderSnapshots.path()), "the leader's checkpoint copy is deleted");
  }

  @Test
  void streamFromAnotherClusterIsRefused() throws Exception {
    assertFalse(send(CLUSTER + 1, LEADER, followerUrl), "transfer reported failed");
    assertNothingReceived();
  }

  @Test
  void snapshotFromARemovedMemberIsRefused() throws Exception {
    assertFalse(send(CLUSTER, REMOVED, followerUrl), "transfer reported failed");
    assertNothingReceived();
  }

  @Test
  void unknownPeerAddressReportsFailure() throws Exception {
    assertFalse(send(CLUSTER, LEADER, null), "transfer reported failed");
    assertNothingReceived();
  }

  @Test
  void retryRightAfterAFailureFailsWithoutACheckpoint() throws Exception {
    FakeSource source = new FakeSource();
    try (SnapshotSender sender = new SnapshotSender(CLUSTER + 1, source, leaderSnapshots, Duration.ofHours(1))) {
      sender.send(snapshotMessage(LEADER), followerUrl);
      assertFalse(source.outcome(), "first transfer refused");
      sender.send(snapshotMessage(LEADER), followerUrl);
      assertFalse(source.outcome(), "retry within the backoff fails");
      assertEquals(1, source.checkpoints.get(), "the retry took no checkpoint");
    }
  }

  @Test
  void snapshotDueBeforeTheMemberServesIsReportedFailedOnceItServes() throws Exception {
    FakeSource source = new FakeSource();
    GrpcPeerTransport transport = new GrpcPeerTransport(ClusterMembers::getDefaultInstance, LEADER, CLUSTER);
    transport.send(List.of(snapshotMessage(LEADER)));
    assertNull(source.reported.poll(), "nothing can be reported before the member serves");
    try (SnapshotSender sender = new SnapshotSender(CLUSTER, source, leaderSnapshots)) {
      transport.sendSnapshotsWith(sender);
      assertFalse(source.outcome(), "the deferred snapshot is reported failed, so raft tries again");
      assertEquals(0, source.checkpoints.get(), "no checkpoint was taken for it");
    } finally {
      transport.close();
    }
  }

  /** Sends the snapshot as member {@code from} of cluster {@code clusterId}; returns the reported outcome. */
  private boolean send(long clusterId, long from, URI url) throws Exception {
    FakeSource source = new FakeSource();
    try (SnapshotSender sender = new SnapshotSender(clusterId, source, leaderSnapshots)) {
      sender.send(snapshotMessage(from), url);
      return source.outcome();
    }
  }

  @Test
  void fileNameThatEscapesTheDirectoryIsRefused() throws Exception {
    Status status = rawTransfer(List.of(
        fileChunk("../escaped", 0, new byte[] {1, 2, 3}, true)));
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
    assertFalse(Files.exists(followerSnapshots.path().resolve("escaped")));
    assertPartialsGone();
  }

  @Test
  void streamEndingInsideAFileStagesNothing() throws Exception {
    Status status = rawTransfer(List.of(
        fileChunk("CURRENT", 0, new byte[] {1, 2, 3}, false)));
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
    assertPartialsGone();
  }

  @Test
  void chunkOutOfOrderIsRefused() throws Exception {
    Status status = rawTransfer(List.of(
        fileChunk("000012.sst", 0, new byte[10], false),
        fileChunk("000012.sst", 20, new byte[10], true)));
    assertEquals(Status.Code.INVALID_ARGUMENT, status.getCode(), status.toString());
    assertPartialsGone();
  }

  private void assertNothingReceived() {
    assertTrue(delivered.isEmpty(), "raft never heard of the snapshot");
    assertNull(followerSnapshots.staged(TERM, INDEX));
    assertPartialsGone();
  }

  /** The receiver deletes a refused transfer's files as it refuses, before answering. */
  private void assertPartialsGone() {
    assertEquals(Set.of(), names(followerSnapshots.path()));
    assertTrue(delivered.isEmpty());
  }

  /** Sends a valid first chunk followed by {@code chunks}; returns how the receiver answered. */
  private Status rawTransfer(List<SnapshotChunk> chunks) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress(followerUrl.getHost(), followerUrl.getPort())
        .usePlaintext().build();
    try {
      CompletableFuture<Status> answer = new CompletableFuture<>();
      StreamObserver<SnapshotChunk> requests = RaftPeerGrpc.newStub(channel).sendSnapshot(new StreamObserver<>() {
        @Override
        public void onNext(PeerAck value) { }

        @Override
        public void onError(Throwable t) {
          answer.complete(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
          answer.complete(Status.OK);
        }
      });
      requests.onNext(SnapshotChunk.newBuilder().setClusterId(CLUSTER)
          .setMessage(MessageCodec.encode(snapshotMessage(LEADER))).build());
      chunks.forEach(requests::onNext);
      requests.onCompleted();
      return answer.get(30, TimeUnit.SECONDS);
    } finally {
      channel.shutdownNow();
    }
  }

  private static SnapshotChunk fileChunk(String name, long offset, byte[] data, boolean last) {
    return SnapshotChunk.newBuilder().setClusterId(CLUSTER).setFileName(name).setOffset(offset)
        .setData(ByteString.copyFrom(data)).setLastChunkOfFile(last).build();
  }

  private static Message snapshotMessage(long from) {
    Snapshot snapshot = new Snapshot(new SnapshotMetadata(INDEX, TERM,
        new ConfState(Set.of(LEADER, FOLLOWER), Set.of())), new byte[0]);
    return new Message(MessageType.SNAP, from, FOLLOWER, TERM, 0, 0, List.of(), 0, snapshot, false, 0, new byte[0]);
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static Set<String> names(Path directory) {
    if (!Files.isDirectory(directory)) {
      return Set.of();
    }
    try (Stream<Path> children = Files.list(directory)) {
      return new TreeSet<>(children.map(p -> p.getFileName().toString()).toList());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The member side of the sender: writes {@link #files} as the checkpoint and records the outcome. */
  private final class FakeSource implements SnapshotSender.SnapshotSource {
    private final BlockingQueue<Boolean> reported = new LinkedBlockingQueue<>();
    private final AtomicInteger checkpoints = new AtomicInteger();

    @Override
    public void checkpoint(Path target) {
      checkpoints.incrementAndGet();
      try {
        Files.createDirectories(target);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
          Files.write(target.resolve(f.getKey()), f.getValue());
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public void reportSnapshot(long peer, boolean success) {
      assertEquals(FOLLOWER, peer);
      reported.add(success);
    }

    /** The next reported outcome. */
    boolean outcome() throws InterruptedException {
      Boolean success = reported.poll(30, TimeUnit.SECONDS);
      if (success == null) {
        throw new AssertionError("no outcome reported within 30 s");
      }
      return success;
    }
  }
}
