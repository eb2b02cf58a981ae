package io.cairn.bench.cli;

import io.cairn.bench.client.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Options every scenario shares: where to connect, how much concurrency, how long, how fast, and
 * where to write results. {@link #validate()} rejects nonsense before anything connects.
 */
public final class BenchOptions {
  @Option(names = "--endpoints", defaultValue = "127.0.0.1:2379",
      description = "Comma-separated etcd v3 endpoints (http://host:port or host:port); "
          + "connections spread round-robin. Default: ${DEFAULT-VALUE}.")
  String endpoints;

  @Option(names = "--conns", defaultValue = "1",
      description = "gRPC channels (TCP connections). Default: ${DEFAULT-VALUE}.")
  int conns;

  @Option(names = "--clients", defaultValue = "1",
      description = "Concurrent logical clients, each with one request outstanding. "
          + "Default: ${DEFAULT-VALUE}.")
  int clients;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Amount amount = new Amount();

  /** Either a request count or a duration bounds the run; default 10000 requests. */
  static final class Amount {
    @Option(names = "--total", description = "Requests to issue in total (default 10000).")
    Long total;

    @Option(names = "--duration", converter = DurationConverter.class,
        description = "Run for this long instead of a request count (e.g. 30s).")
    Duration duration;
  }

  @Option(names = "--rate", defaultValue = "0",
      description = "Maximum requests started per second across all clients; 0 = unlimited.")
  double rate;

  @Option(names = "--warmup", defaultValue = "0s", converter = DurationConverter.class,
      description = "Run the scenario this long first and discard the figures (JIT warm-up of "
          + "client and server). Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--timeout", defaultValue = "10s", converter = DurationConverter.class,
      description = "Deadline of each request; no client-side retries. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(names = "--seed",
      description = "Seed of the key and operation choices (default: random, printed).")
  Long seed;

  @Option(names = "--json", description = "Print a machine-readable summary on stdout.")
  boolean json;

  @Option(names = "--hdr-log", paramLabel = "FILE",
      description = "Write interval histograms (HdrHistogram log format, microseconds).")
  Path hdrLog;

  @Option(names = "--sample-pids", split = ",", paramLabel = "PID",
      description = "Server process ids whose RSS and CPU to sample during the run (Linux /proc).")
  List<Long> samplePids = new ArrayList<>();

  /** Default request count when neither --total nor --duration is given. */
  static final long DEFAULT_TOTAL = 10_000;

  List<Endpoint> endpointList() {
    return Endpoint.parseList(endpoints);
  }

  /** Requests to run, 0 when the run is bounded by duration. */
  long total() {
    if (amount.duration != null) {
      return 0;
    }
    return amount.total != null ? amount.total : DEFAULT_TOTAL;
  }

  /** Run length in nanoseconds, 0 when bounded by a request count. */
  long durationNanos() {
    return amount.duration == null ? 0 : amount.duration.toNanos();
  }

  /** Throws IllegalArgumentException describing the first invalid option. */
  void validate() {
    endpointList();
    require(conns >= 1, "--conns must be at least 1, got " + conns);
    require(clients >= 1, "--clients must be at least 1, got " + clients);
    require(amount.total == null || amount.total > 0,
        "--total must be positive, got " + amount.total);
    require(amount.duration == null || !amount.duration.isNegative() && !amount.duration.isZero(),
        "--duration must be positive, got " + amount.duration);
    require(rate >= 0 && !Double.isNaN(rate) && !Double.isInfinite(rate),
        "--rate must be 0 (unlimited) or positive, got " + rate);
    require(!timeout.isNegative() && !timeout.isZero(), "--timeout must be positive, got " + timeout);
    require(!warmup.isNegative(), "--warmup must not be negative, got " + warmup);
    for (long pid : samplePids) {
      require(pid > 0, "--sample-pids must be process ids, got " + pid);
    }
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
