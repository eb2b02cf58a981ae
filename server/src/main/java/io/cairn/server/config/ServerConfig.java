package io.cairn.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a member is configured with: one validated, immutable object. Built from etcd's
 * flags and {@code ETCD_*} environment variables by {@link ServerFlags}, or directly with
 * {@link #builder()} by embedding code and tests. Defaults are etcd 3.5's so that deployment
 * manifests written for etcd behave the same.
 *
 * <p>{@link Builder#build()} validates the whole object and throws {@link ConfigException} naming
 * the offending flag, so an instance that exists is always usable.
 */
public final class ServerConfig {
  /** etcd's {@code --max-request-bytes} default: 1.5 MiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;
  /** etcd's default backend quota (used when {@code --quota-backend-bytes} is 0): 2 GiB. */
  public static final long DEFAULT_QUOTA_BACKEND_BYTES = 2L * 1024 * 1024 * 1024;
  /** etcd's upper bound for the backend quota it recommends: 8 GiB. */
  public static final long MAX_QUOTA_BACKEND_BYTES = 8L * 1024 * 1024 * 1024;

  private final String name;
  private final Path dataDir;
  private final Path walDir;
  private final List<URI> listenClientUrls;
  private final List<URI> advertiseClientUrls;
  private final List<URI> listenPeerUrls;
  private final List<URI> initialAdvertisePeerUrls;
  private final Map<String, List<URI>> initialCluster;
  private final InitialClusterState initialClusterState;
  private final String initialClusterToken;
  private final List<URI> listenMetricsUrls;
  /**
   * The largest {@code --max-request-bytes}: a request's raft entry, with its framing, must fit the
   * peer transport's 64 MiB message limit (etcd itself recommends at most 10 MiB).
   */
  public static final int MAX_REQUEST_BYTES_LIMIT = 60 * 1024 * 1024;

  private final int maxRequestBytes;
  private final long quotaBackendBytes;
  private final int maxTxnOps;
  private final Duration heartbeatInterval;
  private final Duration electionTimeout;
  private final long snapshotCount;
  private final boolean preVote;
  /** etcd's --strict-reconfig-check: refuse membership changes that could cost the quorum. */
  private final boolean strictReconfigCheck;
  private final String logLevel;
  private final Duration watchProgressNotifyInterval;
  private final long walSegmentBytes;
  /** Transport security of the client and metrics listeners, and the peer side's. */
  private final TlsSettings clientTls;
  private final TlsSettings peerTls;
  /** etcd 3.5's --listen-client-http-urls: plain HTTP endpoints (here /health, /metrics) apart from gRPC. */
  private final List<URI> listenClientHttpUrls;
  private final AuthSettings auth;

  private ServerConfig(Builder b) {
    this.name = b.name;
    this.dataDir = b.dataDir != null ? b.dataDir : Path.of(b.name + ".etcd");
    this.walDir = b.walDir != null ? b.walDir : this.dataDir.resolve("member").resolve("wal");
    this.listenClientUrls = List.copyOf(b.listenClientUrls);
    this.advertiseClientUrls = List.copyOf(b.advertiseClientUrls);
    this.listenPeerUrls = List.copyOf(b.listenPeerUrls);
    this.initialAdvertisePeerUrls = List.copyOf(b.initialAdvertisePeerUrls);
    this.initialCluster = b.initialCluster != null
        ? b.initialCluster
        : Map.of(b.name, List.copyOf(b.initialAdvertisePeerUrls));
    this.initialClusterState = b.initialClusterState;
    this.initialClusterToken = b.initialClusterToken;
    this.listenMetricsUrls = List.copyOf(b.listenMetricsUrls);
    this.maxRequestBytes = b.maxRequestBytes;
    this.quotaBackendBytes = b.quotaBackendBytes == 0 ? DEFAULT_QUOTA_BACKEND_BYTES : b.quotaBackendBytes;
    this.maxTxnOps = b.maxTxnOps;
    this.heartbeatInterval = b.heartbeatInterval;
    this.electionTimeout = b.electionTimeout;
    this.snapshotCount = b.snapshotCount;
    this.preVote = b.preVote;
    this.strictReconfigCheck = b.strictReconfigCheck;
    this.logLevel = b.logLevel;
    this.watchProgressNotifyInterval = b.watchProgressNotifyInterval;
    this.auth = b.auth;
    this.walSegmentBytes = b.walSegmentBytes;
    this.clientTls = b.clientTls;
    this.peerTls = b.peerTls;
    this.listenClientHttpUrls = List.copyOf(b.listenClientHttpUrls);
    validate();
    TlsUrlRules.check(this);
  }

  private void validate() {
    if (name.isEmpty()) {
      throw new ConfigException("--name", "must not be empty");
    }
    if (listenClientUrls.isEmpty()) {
      throw new ConfigException("--listen-client-urls", "at least one URL is required, e.g. http://127.0.0.1:2379");
    }
    if (advertiseClientUrls.isEmpty()) {
      throw new ConfigException("--advertise-client-urls", "at least one URL is required, e.g. http://127.0.0.1:2379");
    }
    if (listenPeerUrls.isEmpty()) {
      throw new ConfigException("--listen-peer-urls", "at least one URL is required, e.g. http://127.0.0.1:2380");
    }
    if (initialAdvertisePeerUrls.isEmpty()) {
      throw new ConfigException("--initial-advertise-peer-urls", "at least one URL is required");
    }
    List<URI> ownPeerUrls = initialCluster.get(name);
    if (ownPeerUrls == null) {
      throw new ConfigException("--initial-cluster", "does not name this member '" + name
          + "'; add " + name + "=" + initialAdvertisePeerUrls.get(0) + " or fix --name");
    }
    if (!sameUrls(ownPeerUrls, initialAdvertisePeerUrls)) {
      throw new ConfigException("--initial-cluster", "has " + name + "=" + ownPeerUrls
          + " but --initial-advertise-peer-urls is " + initialAdvertisePeerUrls
          + "; they must list the same URLs");
    }
    if (initialClusterToken.isEmpty()) {
      throw new ConfigException("--initial-cluster-token", "must not be empty");
    }
    if (maxRequestBytes <= 0) {
      throw new ConfigException("--max-request-bytes", "must be positive, got " + maxRequestBytes);
    }
    if (maxRequestBytes > MAX_REQUEST_BYTES_LIMIT) {
      // A larger request could be committed by no one: its raft entry must fit one peer message.
      throw new ConfigException("--max-request-bytes", "must be at most " + MAX_REQUEST_BYTES_LIMIT
          + " (a raft entry travels in one peer message of at most 64 MiB), got " + maxRequestBytes);
    }
    if (quotaBackendBytes < 0) {
      throw new ConfigException("--quota-backend-bytes", "must not be negative");
    }
    if (maxTxnOps <= 0) {
      throw new ConfigException("--max-txn-ops", "must be positive, got " + maxTxnOps);
    }
    long hb = heartbeatInterval.toMillis();
    long et = electionTimeout.toMillis();
    if (hb <= 0) {
      throw new ConfigException("--heartbeat-interval", "must be positive (milliseconds), got " + hb);
    }
    if (et < 5 * hb) {
      throw new ConfigException("--election-timeout", "[" + et + "ms] should be at least 5 times "
          + "--heartbeat-interval [" + hb + "ms]; raise --election-timeout or lower --heartbeat-interval");
    }
    if (et > 50_000) {
      throw new ConfigException("--election-timeout", "[" + et + "ms] is too long; it must be at most 50000ms");
    }
    if (snapshotCount <= 0) {
      throw new ConfigException("--snapshot-count", "must be positive, got " + snapshotCount);
    }
    if (!List.of("debug", "info", "warn", "error", "panic", "fatal").contains(logLevel)) {
      throw new ConfigException("--log-level", "must be one of debug, info, warn, error, panic, fatal; got '"
          + logLevel + "'");
    }
    if (walSegmentBytes < 64 * 1024) {
      throw new ConfigException("wal segment size", "must be at least 64 KiB, got " + walSegmentBytes);
    }
    if (watchProgressNotifyInterval.isNegative()) {
      throw new ConfigException("--experimental-watch-progress-notify-interval", "must not be negative");
    }
  }

  private static boolean sameUrls(List<URI> a, List<URI> b) {
    return a.size() == b.size() && a.stream().sorted().toList().equals(b.stream().sorted().toList());
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this configuration's values, to derive a variant (the server lowers the WAL
   * segment size to fit the data volume this way).
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.dataDir = dataDir;
    b.walDir = walDir;
    b.listenClientUrls = listenClientUrls;
    b.advertiseClientUrls = advertiseClientUrls;
    b.listenPeerUrls = listenPeerUrls;
    b.initialAdvertisePeerUrls = initialAdvertisePeerUrls;
    b.initialCluster = initialCluster;
    b.initialClusterState = initialClusterState;
    b.initialClusterToken = initialClusterToken;
    b.listenMetricsUrls = listenMetricsUrls;
    b.maxRequestBytes = maxRequestBytes;
    b.quotaBackendBytes = quotaBackendBytes;
    b.maxTxnOps = maxTxnOps;
    b.heartbeatInterval = heartbeatInterval;
    b.electionTimeout = electionTimeout;
    b.snapshotCount = snapshotCount;
    b.preVote = preVote;
    b.strictReconfigCheck = strictReconfigCheck;
    b.logLevel = logLevel;
    b.watchProgressNotifyInterval = watchProgressNotifyInterval;
    b.walSegmentBytes = walSegmentBytes;
    b.auth = auth;
    b.clientTls = clientTls;
    b.peerTls = peerTls;
    b.listenClientHttpUrls = listenClientHttpUrls;
    return b;
  }

  public String name() { return name; }
  public Path dataDir() { return dataDir; }
  public Path walDir() { return walDir; }
  /** Where the MVCC store keeps its RocksDB files. */
  public Path backendDir() { return dataDir.resolve("member").resolve("db"); }
  public List<URI> listenClientUrls() { return listenClientUrls; }
  public List<URI> advertiseClientUrls() { return advertiseClientUrls; }
  public List<URI> listenPeerUrls() { return listenPeerUrls; }
  public List<URI> initialAdvertisePeerUrls() { return initialAdvertisePeerUrls; }
  public Map<String, List<URI>> initialCluster() { return initialCluster; }
  public InitialClusterState initialClusterState() { return initialClusterState; }
  public String initialClusterToken() { return initialClusterToken; }
  public List<URI> listenMetricsUrls() { return listenMetricsUrls; }
  public int maxRequestBytes() { return maxRequestBytes; }
  public long quotaBackendBytes() { return quotaBackendBytes; }
  public int maxTxnOps() { return maxTxnOps; }
  public Duration heartbeatInterval() { return heartbeatInterval; }
  public Duration electionTimeout() { return electionTimeout; }
  /** Raft ticks in an election timeout; one tick is one heartbeat interval, as in etcd. */
  public int electionTicks() { return (int) (electionTimeout.toMillis() / heartbeatInterval.toMillis()); }
  public long snapshotCount() { return snapshotCount; }
  public boolean preVote() { return preVote; }
  public boolean strictReconfigCheck() { return strictReconfigCheck; }
  public String logLevel() { return logLevel; }
  /**
   * Size of each raft log segment file, preallocated when created (etcd's 64 MiB). Not a flag:
   * embedded test clusters use small segments so a fresh member starts fast. The server starts with
   * at most this, less on a small data volume (see {@code DiskBudget}).
   */
  public long walSegmentBytes() { return walSegmentBytes; }
  /** Zero disables progress notifications. */
  public Duration watchProgressNotifyInterval() { return watchProgressNotifyInterval; }
  public TlsSettings clientTls() { return clientTls; }
  public TlsSettings peerTls() { return peerTls; }
  public List<URI> listenClientHttpUrls() { return listenClientHttpUrls; }
  /** --auth-token, --auth-token-ttl, --bcrypt-cost. */
  public AuthSettings auth() { return auth; }

  @Override
  public String toString() {
    return "ServerConfig{name=" + name + ", dataDir=" + dataDir + ", listenClientUrls=" + listenClientUrls
        + ", advertiseClientUrls=" + advertiseClientUrls + ", listenPeerUrls=" + listenPeerUrls
        + ", initialCluster=" + initialCluster + ", initialClusterState=" + initialClusterState
        + ", heartbeat=" + heartbeatInterval.toMillis() + "ms, electionTimeout=" + electionTimeout.toMillis()
        + "ms, snapshotCount=" + snapshotCount + ", preVote=" + preVote + ", clientTls=" + clientTls
        + ", peerTls=" + peerTls + "}";
  }

  /** Collects values; {@link #build()} fills in etcd's derived defaults and validates. */
  public static final class Builder {
    private String name = "default";
    private Path dataDir;
    private Path walDir;
    private List<URI> listenClientUrls = List.of(URI.create("http://localhost:2379"));
    private List<URI> advertiseClientUrls = List.of(URI.create("http://localhost:2379"));
    private List<URI> listenPeerUrls = List.of(URI.create("http://localhost:2380"));
    private List<URI> initialAdvertisePeerUrls = List.of(URI.create("http://localhost:2380"));
    private Map<String, List<URI>> initialCluster;
    private InitialClusterState initialClusterState = InitialClusterState.NEW;
    private String initialClusterToken = "etcd-cluster";
    private List<URI> listenMetricsUrls = List.of();
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private long quotaBackendBytes = 0;
    private int maxTxnOps = 128;
    private Duration heartbeatInterval = Duration.ofMillis(100);
    private Duration electionTimeout = Duration.ofMillis(1000);
    private long snapshotCount = 100_000;
    private boolean preVote = true;
    private boolean strictReconfigCheck = true;
    private String logLevel = "info";
    private Duration watchProgressNotifyInterval = Duration.ofMinutes(10);
    private long walSegmentBytes = 64L * 1024 * 1024;
    private TlsSettings clientTls = TlsSettings.NONE;
    private TlsSettings peerTls = TlsSettings.builder("peer-").build();
    private List<URI> listenClientHttpUrls = List.of();
    private AuthSettings auth = AuthSettings.defaults();

    private Builder() {}

    public Builder name(String v) { name = Objects.requireNonNull(v); return this; }
    public Builder dataDir(Path v) { dataDir = v; return this; }
    public Builder walDir(Path v) { walDir = v; return this; }
    public Builder listenClientUrls(List<URI> v) { listenClientUrls = v; return this; }
    public Builder advertiseClientUrls(List<URI> v) { advertiseClientUrls = v; return this; }
    public Builder listenPeerUrls(List<URI> v) { listenPeerUrls = v; return this; }
    public Builder initialAdvertisePeerUrls(List<URI> v) { initialAdvertisePeerUrls = v; return this; }
    /** Null means "just this member", as etcd's default {@code default=http://localhost:2380}. */
    public Builder initialCluster(Map<String, List<URI>> v) { initialCluster = v; return this; }
    public Builder initialClusterState(InitialClusterState v) { initialClusterState = Objects.requireNonNull(v); return this; }
    public Builder initialClusterToken(String v) { initialClusterToken = Objects.requireNonNull(v); return this; }
    public Builder listenMetricsUrls(List<URI> v) { listenMetricsUrls = v; return this; }
    public Builder maxRequestBytes(int v) { maxRequestBytes = v; return this; }
    public Builder quotaBackendBytes(long v) { quotaBackendBytes = v; return this; }
    public Builder maxTxnOps(int v) { maxTxnOps = v; return this; }
    public Builder heartbeatInterval(Duration v) { heartbeatInterval = Objects.requireNonNull(v); return this; }
    public Builder electionTimeout(Duration v) { electionTimeout = Objects.requireNonNull(v); return this; }
    public Builder snapshotCount(long v) { snapshotCount = v; return this; }
    public Builder preVote(boolean v) { preVote = v; return this; }
    public Builder strictReconfigCheck(boolean v) { strictReconfigCheck = v; return this; }
    public Builder logLevel(String v) { logLevel = Objects.requireNonNull(v); return this; }
    public Builder watchProgressNotifyInterval(Duration v) { watchProgressNotifyInterval = Objects.requireNonNull(v); return this; }

    public Builder walSegmentBytes(long v) { walSegmentBytes = v; return this; }
    public Builder clientTls(TlsSettings v) { clientTls = Objects.requireNonNull(v); return this; }
    public Builder peerTls(TlsSettings v) { peerTls = Objects.requireNonNull(v); return this; }
    public Builder listenClientHttpUrls(List<URI> v) { listenClientHttpUrls = v; return this; }
    public Builder auth(AuthSettings v) { auth = Objects.requireNonNull(v); return this; }

    public ServerConfig build() {
      return new ServerConfig(this);
    }
  }
}
