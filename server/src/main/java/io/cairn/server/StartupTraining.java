package io.cairn.server;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.PutRequest;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.config.ServerFlags;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training run {@code bin/cairn} makes once per server jar and JDK to record which classes a
 * member's start loads, into a class-data sharing archive (JDK 17+) or an AOT cache (JDK 25+) that
 * later starts map instead of loading, verifying and linking those classes again.
 *
 * <p>It goes through what a restarted member does: a single member in a temporary data directory
 * bootstraps, serves a few puts and linearizable ranges over gRPC, stops, restarts from its WAL,
 * serves again and stops; then the directory is deleted.
 */
public final class StartupTraining {
  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("cairn-training-");
    try {
      List<String> flags = flags(dir);
      for (int start = 0; start < 2; start++) {
        ServerConfig config = ServerFlags.parse(flags.toArray(String[]::new), System.getenv(), warning -> { });
        Main.setLogLevel("warn");
        try (CairnServer server = CairnServer.start(config, (what, cause) -> {
          throw new IllegalStateException("training member failed: " + what, cause);
        })) {
          serveSome(server.clientAddresses().get(0));
        }
      }
    } finally {
      deleteTree(dir);
    }
  }

  private static List<String> flags(Path dir) {
    String client = "http://127.0.0.1:" + freePort();
    String peer = "http://127.0.0.1:" + freePort();
    return List.of("--name", "training", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "training=" + peer, "--log-level", "warn");
  }

  private static void serveSome(InetSocketAddress address) throws InterruptedException {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress(address.getHostString(), address.getPort(),
        InsecureChannelCredentials.create()).build();
    try {
      KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withWaitForReady();
      for (int i = 0; i < 20; i++) {
        ByteString key = ByteString.copyFromUtf8("/training/" + i);
        kv.withDeadlineAfter(30, TimeUnit.SECONDS)
            .put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("v" + i)).build());
        kv.withDeadlineAfter(30, TimeUnit.SECONDS).range(RangeRequest.newBuilder().setKey(key).build());
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port for the training member", e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
