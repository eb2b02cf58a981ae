package io.cairn.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerFlagsTest {
  private final List<String> warnings = new ArrayList<>();

  private ServerConfig parse(Map<String, String> env, String... args) {
    return ServerFlags.parse(args, env, warnings::add);
  }

  @Test
  void noFlagsGiveEtcdDefaults() {
    ServerConfig c = parse(Map.of());
    assertEquals("default", c.name());
    assertEquals(Path.of("default.etcd"), c.dataDir());
    assertEquals(List.of(URI.create("http://localhost:2379")), c.listenClientUrls());
    assertEquals(List.of(URI.create("http://localhost:2379")), c.advertiseClientUrls());
    assertEquals(Map.of("default", List.of(URI.create("http://localhost:2380"))), c.initialCluster());
    assertEquals(InitialClusterState.NEW, c.initialClusterState());
    assertEquals("etcd-cluster", c.initialClusterToken());
    assertEquals(1536 * 1024, c.maxRequestBytes());
    assertEquals(2L << 30, c.quotaBackendBytes());
    assertEquals(128, c.maxTxnOps());
    assertEquals(10, c.electionTicks());
    assertTrue(c.preVote());
    assertEquals(Duration.ofMinutes(10), c.watchProgressNotifyInterval());
  }

  @Test
  void requestLimitMustFitOnePeerMessage() {
    assertEquals(ServerConfig.MAX_REQUEST_BYTES_LIMIT,
        parse(Map.of(), "--max-request-bytes", String.valueOf(ServerConfig.MAX_REQUEST_BYTES_LIMIT)).maxRequestBytes());
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(Map.of(), "--max-request-bytes", String.valueOf(ServerConfig.MAX_REQUEST_BYTES_LIMIT + 1)));
    assertTrue(e.getMessage().contains("--max-request-bytes"), e.getMessage());
  }

  @Test
  void dataDirDefaultsFromName() {
    assertEquals(Path.of("infra0.etcd"), parse(Map.of(), "--name", "infra0",
        "--initial-cluster", "infra0=http://localhost:2380").dataDir());
  }

  @Test
  void environmentVariablesFollowEtcdNamesAndFlagsWin() {
    ServerConfig c = parse(Map.of("ETCD_NAME", "envname", "ETCD_DATA_DIR", "/tmp/x",
            "ETCD_INITIAL_CLUSTER", "envname=http://localhost:2380", "ETCD_MAX_REQUEST_BYTES", "1000"),
        "--max-request-bytes=2000");
    assertEquals("envname", c.name());
    assertEquals(Path.of("/tmp/x"), c.dataDir());
    assertEquals(2000, c.maxRequestBytes());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("ETCD_MAX_REQUEST_BYTES") && w.contains("shadowed")));
  }

  @Test
  void unknownEnvironmentVariableIsWarnedAbout() {
    parse(Map.of("ETCD_NO_SUCH_FLAG", "1"));
    assertTrue(warnings.stream().anyMatch(w -> w.contains("ETCD_NO_SUCH_FLAG")));
  }

  @Test
  void goStyleSingleDashFlagsAreAccepted() {
    ServerConfig c = parse(Map.of(), "-name", "n1", "-initial-cluster=n1=http://localhost:2380", "-pre-vote=false");
    assertEquals("n1", c.name());
    assertFalse(c.preVote());
  }

  @Test
  void unknownFlagIsRejected() {
    CommandLine.UnmatchedArgumentException e = assertThrows(CommandLine.UnmatchedArgumentException.class,
        () -> parse(Map.of(), "--no-such-flag=1"));
    assertTrue(e.getMessage().contains("--no-such-flag"), e.getMessage());
  }

  @Test
  void initialClusterMustNameThisMemberWithTheSameUrls() {
    ConfigException missing = assertThrows(ConfigException.class,
        () -> parse(Map.of(), "--name", "a", "--initial-cluster", "b=http://localhost:2380"));
    assertTrue(missing.getMessage().startsWith("--initial-cluster"), missing.getMessage());
    ConfigException mismatch = assertThrows(ConfigException.class,
        () -> parse(Map.of(), "--initial-cluster", "default=http://10.0.0.1:2380"));
    assertTrue(mismatch.getMessage().contains("--initial-advertise-peer-urls"), mismatch.getMessage());
  }

  @Test
  void threeMemberClusterParses() {
    ServerConfig c = parse(Map.of(), "--name", "infra1",
        "--initial-advertise-peer-urls", "http://10.0.1.11:2380",
        "--listen-peer-urls", "http://10.0.1.11:2380",
        "--initial-cluster", "infra0=http://10.0.1.10:2380,infra1=http://10.0.1.11:2380,infra2=http://10.0.1.12:2380",
        "--initial-cluster-state", "new", "--initial-cluster-token", "etcd-cluster-1");
    assertEquals(List.of("infra0", "infra1", "infra2"), List.copyOf(c.initialCluster().keySet()));
  }

  @Test
  void joiningAcceptsTheUnnamedMembersEtcdctlMemberAddPrints() {
    ServerConfig c = parse(Map.of(), "--name", "infra3", "--initial-advertise-peer-urls", "http://10.0.1.13:2380",
        "--initial-cluster", "infra0=http://10.0.1.10:2380,=http://10.0.1.12:2380,infra3=http://10.0.1.13:2380",
        "--initial-cluster-state", "existing");
    assertEquals(List.of(URI.create("http://10.0.1.12:2380")), c.initialCluster().get(""));
    assertEquals(3, c.initialCluster().size());
  }

  @Test
  void strictReconfigCheckIsOnByDefaultAndCanBeTurnedOff() {
    assertTrue(parse(Map.of()).strictReconfigCheck());
    assertFalse(parse(Map.of(), "--strict-reconfig-check=false").strictReconfigCheck());
    assertFalse(parse(Map.of("ETCD_STRICT_RECONFIG_CHECK", "false")).strictReconfigCheck());
  }

  @Test
  void electionTimeoutMustBeFiveHeartbeats() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> parse(Map.of(), "--heartbeat-interval", "100", "--election-timeout", "400"));
    assertTrue(e.getMessage().startsWith("--election-timeout"), e.getMessage());
  }

  @Test
  void badUrlNamesTheFlag() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(Map.of(), "--listen-client-urls", "localhost"));
    assertTrue(e.getMessage().startsWith("--listen-client-urls"), e.getMessage());
  }

  @Test
  void progressNotifyIntervalTakesGoDurations() {
    assertEquals(Duration.ofMillis(1500), parse(Map.of(),
        "--experimental-watch-progress-notify-interval", "1.5s").watchProgressNotifyInterval());
    assertEquals(Duration.ofMinutes(90), parse(Map.of(),
        "--experimental-watch-progress-notify-interval", "1h30m").watchProgressNotifyInterval());
    assertThrows(ConfigException.class, () -> parse(Map.of(),
        "--experimental-watch-progress-notify-interval", "10 minutes"));
  }

  @Test
  void badClusterStateNamesTheFlag() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(Map.of(), "--initial-cluster-state", "old"));
    assertTrue(e.getMessage().startsWith("--initial-cluster-state"));
  }
}
