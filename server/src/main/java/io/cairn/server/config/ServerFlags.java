package io.cairn.server.config;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The member's command line: etcd's flag names, defaults and {@code ETCD_*} environment variables.
 *
 * <p>Resolution follows etcd: a flag on the command line wins; otherwise the environment variable
 * {@code ETCD_<FLAG_NAME>} (upper case, dashes as underscores, e.g. {@code ETCD_INITIAL_CLUSTER});
 * otherwise etcd's default. Go's flag syntax is accepted too ({@code -name x}, {@code -name=x}),
 * because manifests written for etcd use it. An unknown flag is an error, as in etcd.
 */
@Command(name = "cairn", mixinStandardHelpOptions = true, versionProvider = CairnVersion.class,
    description = "Cairn: an etcd-compatible key-value store. Takes etcd's flags and ETCD_* variables.",
    sortOptions = false, usageHelpWidth = 110)
public final class ServerFlags {
  static final String ENV_PREFIX = "ETCD_";

  @Option(names = "--name", description = "Human-readable name for this member (default: ${DEFAULT-VALUE}).")
  String name = "default";

  @Option(names = "--data-dir", description = "Path to the data directory (default: <name>.etcd).")
  String dataDir;

  @Option(names = "--wal-dir", description = "Path to the dedicated WAL directory (default: <data-dir>/member/wal).")
  String walDir;

  @Option(names = "--listen-client-urls", description = "URLs to listen on for client traffic (default: ${DEFAULT-VALUE}).")
  String listenClientUrls = "http://localhost:2379";

  @Option(names = "--advertise-client-urls", description = "Client URLs advertised to the cluster (default: ${DEFAULT-VALUE}).")
  String advertiseClientUrls = "http://localhost:2379";

  @Option(names = "--listen-peer-urls", description = "URLs to listen on for peer traffic (default: ${DEFAULT-VALUE}).")
  String listenPeerUrls = "http://localhost:2380";

  @Option(names = "--initial-advertise-peer-urls", description = "This member's peer URLs advertised to the cluster (default: ${DEFAULT-VALUE}).")
  String initialAdvertisePeerUrls = "http://localhost:2380";

  @Option(names = "--initial-cluster", description = "Initial cluster configuration for bootstrapping, name=peerURL,... (default: <name>=<initial-advertise-peer-urls>).")
  String initialCluster;

  @Option(names = "--initial-cluster-state", description = "'new' to bootstrap a cluster, 'existing' to join one (default: ${DEFAULT-VALUE}).")
  String initialClusterState = "new";

  @Option(names = "--initial-cluster-token", description = "Initial cluster token, makes cluster and member ids unique (default: ${DEFAULT-VALUE}).")
  String initialClusterToken = "etcd-cluster";

  @Option(names = "--listen-metrics-urls", description = "Extra URLs serving /metrics and /health (default: none).")
  String listenMetricsUrls = "";

  @Option(names = "--listen-client-http-urls",
      description = "URLs serving only HTTP (/health, /metrics) to clients, apart from gRPC (default: none).")
  String listenClientHttpUrls = "";

  @Mixin
  TlsFlags tls = new TlsFlags();

  @Option(names = "--max-request-bytes", description = "Maximum client request size in bytes (default: ${DEFAULT-VALUE}).")
  int maxRequestBytes = ServerConfig.DEFAULT_MAX_REQUEST_BYTES;

  @Option(names = "--quota-backend-bytes", description = "Backend size quota before the NOSPACE alarm; 0 = 2 GiB (default: ${DEFAULT-VALUE}).")
  long quotaBackendBytes = 0;

  @Option(names = "--max-txn-ops", description = "Maximum operations in one transaction (default: ${DEFAULT-VALUE}).")
  int maxTxnOps = 128;

  @Option(names = "--heartbeat-interval", description = "Heartbeat interval in ms (default: ${DEFAULT-VALUE}).")
  long heartbeatInterval = 100;

  @Option(names = "--election-timeout", description = "Election timeout in ms (default: ${DEFAULT-VALUE}).")
  long electionTimeout = 1000;

  @Option(names = "--snapshot-count", description = "Committed entries between snapshots (default: ${DEFAULT-VALUE}).")
  long snapshotCount = 100_000;

  @Option(names = "--pre-vote", arity = "0..1", fallbackValue = "true",
      description = "Enable the raft pre-vote phase (default: ${DEFAULT-VALUE}).")
  boolean preVote = true;

  @Option(names = "--strict-reconfig-check", arity = "0..1", fallbackValue = "true",
      description = "Reject reconfiguration requests that would cause quorum loss (default: ${DEFAULT-VALUE}).")
  boolean strictReconfigCheck = true;

  @Option(names = "--log-level", description = "debug, info, warn, error, panic or fatal (default: ${DEFAULT-VALUE}).")
  String logLevel = "info";

  @Option(names = "--experimental-watch-progress-notify-interval",
      description = "Interval of watch progress notifications, e.g. 10m; 0 disables (default: ${DEFAULT-VALUE}).")
  String watchProgressNotifyInterval = "10m";

  @Option(names = "--auth-token", description = "Auth token type and options: simple, or jwt,pub-key=...,priv-key=...,sign-method=...,ttl=... (default: ${DEFAULT-VALUE}).")
  String authToken = AuthSettings.SIMPLE;

  @Option(names = "--auth-token-ttl", description = "Seconds a simple auth token lives after its last use (default: ${DEFAULT-VALUE}).")
  long authTokenTtl = 300;

  @Option(names = "--bcrypt-cost", description = "bcrypt cost of auth password hashes (default: ${DEFAULT-VALUE}).")
  int bcryptCost = AuthSettings.DEFAULT_BCRYPT_COST;

  /** Parses a command line plus environment into a validated config. */
  public static ServerConfig parse(String[] args, Map<String, String> env, Consumer<String> warn) {
    ServerFlags flags = new ServerFlags();
    CommandLine cmd = new CommandLine(flags);
    Set<String> known = new HashSet<>();
    for (OptionSpec o : cmd.getCommandSpec().options()) {
      known.add(o.longestName());
    }
    List<String> normalized = normalizeGoStyle(args, known);
    Set<String> givenOnCommandLine = flagNames(normalized);
    cmd.setDefaultValueProvider(arg -> envDefault(arg, env));
    cmd.parseArgs(normalized.toArray(new String[0]));
    if (cmd.isUsageHelpRequested() || cmd.isVersionHelpRequested()) {
      throw new HelpRequested(cmd);
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (!e.getKey().startsWith(ENV_PREFIX)) {
        continue;
      }
      String flag = "--" + e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
      if (!known.contains(flag)) {
        warn.accept("unrecognized environment variable " + e.getKey() + "=" + e.getValue());
      } else if (givenOnCommandLine.contains(flag)) {
        warn.accept("environment variable " + e.getKey() + " is shadowed by the command-line flag " + flag);
      }
    }
    return flags.toConfig();
  }

  private static String envDefault(ArgSpec arg, Map<String, String> env) {
    if (!(arg instanceof OptionSpec option)) {
      return null;
    }
    String variable = ENV_PREFIX + option.longestName().substring(2).toUpperCase(Locale.ROOT).replace('-', '_');
    return env.get(variable);
  }

  /** Go's flag package accepts {@code -flag}; picocli wants {@code --flag}. */
  private static List<String> normalizeGoStyle(String[] args, Set<String> known) {
    List<String> out = new ArrayList<>(args.length);
    for (String a : args) {
      if (a.startsWith("-") && !a.startsWith("--") && a.length() > 2) {
        String candidate = "-" + a;
        String bare = candidate.contains("=") ? candidate.substring(0, candidate.indexOf('=')) : candidate;
        out.add(known.contains(bare) ? candidate : a);
      } else {
        out.add(a);
      }
    }
    return out;
  }

  private static Set<String> flagNames(List<String> args) {
    Set<String> names = new HashSet<>();
    for (String a : args) {
      if (a.startsWith("--")) {
        names.add(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
      }
    }
    return names;
  }

  ServerConfig toConfig() {
    return ServerConfig.builder()
        .name(name)
        .dataDir(dataDir == null || dataDir.isEmpty() ? null : Path.of(dataDir))
        .walDir(walDir == null || walDir.isEmpty() ? null : Path.of(walDir))
        .listenClientUrls(UrlList.parse("--listen-client-urls", listenClientUrls))
        .advertiseClientUrls(UrlList.parse("--advertise-client-urls", advertiseClientUrls))
        .listenPeerUrls(UrlList.parse("--listen-peer-urls", listenPeerUrls))
        .initialAdvertisePeerUrls(UrlList.parse("--initial-advertise-peer-urls", initialAdvertisePeerUrls))
        .initialCluster(initialCluster == null || initialCluster.isEmpty()
            ? null : UrlList.parseCluster("--initial-cluster", initialCluster))
        .initialClusterState(InitialClusterState.parse(initialClusterState))
        .initialClusterToken(initialClusterToken)
        .listenMetricsUrls(UrlList.parse("--listen-metrics-urls", listenMetricsUrls))
        .listenClientHttpUrls(UrlList.parse("--listen-client-http-urls", listenClientHttpUrls))
        .clientTls(tls.client())
        .peerTls(tls.peer())
        .maxRequestBytes(maxRequestBytes)
        .quotaBackendBytes(quotaBackendBytes)
        .maxTxnOps(maxTxnOps)
        .heartbeatInterval(Duration.ofMillis(heartbeatInterval))
        .electionTimeout(Duration.ofMillis(electionTimeout))
        .snapshotCount(snapshotCount)
        .preVote(preVote)
        .strictReconfigCheck(strictReconfigCheck)
        .logLevel(logLevel)
        .watchProgressNotifyInterval(GoDuration.parse("--experimental-watch-progress-notify-interval",
            watchProgressNotifyInterval))
        .auth(AuthSettings.parse(authToken, authTokenTtl, bcryptCost))
        .build();
  }

  /** Thrown by {@link #parse} when {@code --help} or {@code --version} was asked for. */
  public static final class HelpRequested extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient CommandLine commandLine;

    HelpRequested(CommandLine commandLine) {
      super("help requested", null, false, false);
      this.commandLine = commandLine;
    }

    public void print(PrintStream out) {
      if (commandLine.isVersionHelpRequested()) {
        commandLine.printVersionHelp(out);
      } else {
        commandLine.usage(out);
      }
    }
  }
}
