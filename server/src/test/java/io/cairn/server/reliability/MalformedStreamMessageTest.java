package io.cairn.server.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.etcdserverpb.LeaseKeepAliveRequest;
import io.cairn.api.etcdserverpb.WatchCreateRequest;
import io.cairn.api.etcdserverpb.WatchRequest;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An undecodable message on an open Watch or LeaseKeepAlive stream ends that stream with etcd's
 * INTERNAL "grpc: error unmarshalling request" (grpc-go's answer), after the well-formed messages
 * before it were served; the member goes on serving.
 */
class MalformedStreamMessageTest {
  private static final byte[] MALFORMED = {0x0a, 0x7f, 0x01};

  @TempDir Path dir;

  /** A stream method and a well-formed first message for it. */
  private record OpenStream(String method, byte[] first) {}

  @Test
  void aMalformedStreamMessageEndsOnlyItsStream() throws Exception {
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(1).dataDir(dir).start()) {
      cluster.awaitLeader(Duration.ofSeconds(10));
      byte[] watch = WatchRequest.newBuilder().setCreateRequest(
          WatchCreateRequest.newBuilder().setKey(EtcdClient.bytes("w"))).build().toByteArray();
      byte[] keepAlive = LeaseKeepAliveRequest.newBuilder().setID(1).build().toByteArray();
      try (RawCalls raw = new RawCalls(cluster.clientEndpoint(0))) {
        for (OpenStream stream : List.of(new OpenStream("etcdserverpb.Watch/Watch", watch),
            new OpenStream("etcdserverpb.Lease/LeaseKeepAlive", keepAlive))) {
          Status closed = raw.streamUntilClosed(stream.method(), List.of(stream.first(), MALFORMED));
          assertEquals(Status.Code.INTERNAL, closed.getCode(), stream.method() + ": " + closed);
          assertTrue(closed.getDescription().startsWith("grpc: error unmarshalling request: "), closed.toString());
        }
      }
      try (EtcdClient client = new EtcdClient(cluster.clientEndpoint(0))) {
        assertEquals(2, client.put("after", "v").getHeader().getRevision(), "the member still writes");
      }
    }
  }
}
