package io.cairn.server.testing;

import io.cairn.server.CairnServer;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.embed.LoopbackPorts;
import io.cairn.server.member.FatalErrorHandler;
import io.cairn.server.member.StartTimeline;
import io.cairn.server.peer.PeerFaults;
import io.cairn.storage.disk.FreeSpace;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** A one-member cluster in a data directory of the test's choosing, started and restarted by hand. */
public final class SingleMember {
  private final ServerConfig config;

  /** @param walSegmentBytes the configured (largest) WAL segment size */
  public SingleMember(Path dataDir, long walSegmentBytes) {
    this(dataDir, walSegmentBytes, UnaryOperator.identity());
  }

  /** @param customizer changes the configuration further (e.g. the backend quota) */
  public SingleMember(Path dataDir, long walSegmentBytes, UnaryOperator<ServerConfig.Builder> customizer) {
    int[] ports = LoopbackPorts.take(2);
    URI client = URI.create("http://127.0.0.1:" + ports[0]);
    URI peer = URI.create("http://127.0.0.1:" + ports[1]);
    this.config = customizer.apply(ServerConfig.builder().name("solo").dataDir(dataDir)
        .listenClientUrls(List.of(client)).advertiseClientUrls(List.of(client))
        .listenPeerUrls(List.of(peer)).initialAdvertisePeerUrls(List.of(peer))
        .heartbeatInterval(Duration.ofMillis(20)).electionTimeout(Duration.ofMillis(200))
        .walSegmentBytes(walSegmentBytes)).build();
  }

  public ServerConfig config() {
    return config;
  }

  public String endpoint() {
    URI url = config.listenClientUrls().get(0);
    return url.getHost() + ":" + url.getPort();
  }

  /** Starts the member and waits until it leads (it is the only voter). */
  public CairnServer start(FreeSpace freeSpace, FatalErrorHandler fatal) {
    CairnServer server = CairnServer.start(config, fatal, PeerFaults.NONE, freeSpace, StartTimeline.sinceNow());
    Await.until(Duration.ofSeconds(30), () -> server.member().status().leaderId() == server.member().memberId(),
        "the single member leads");
    return server;
  }
}
