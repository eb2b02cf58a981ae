package io.cairn.server;

import ch.qos.logback.classic.Level;
import io.cairn.server.alarm.DiskFullFailure;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.ServerConfig;
import io.cairn.server.config.ServerFlags;
import io.cairn.server.member.StartTimeline;
import io.cairn.server.peer.PeerFaults;
import io.cairn.storage.disk.FreeSpace;
import io.cairn.storage.disk.NoSpaceLeft;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code cairn}: runs one member with etcd's flags. Exits 2 on a command-line error, 1 on an
 * unusable configuration or a failure to start; a fatal error while running halts the process at
 * once (nothing more is persisted or acknowledged) with status 3.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    StartTimeline timeline = StartTimeline.sinceProcessStart();
    timeline.mark(StartTimeline.Phase.MAIN);
    ServerConfig config;
    try {
      config = ServerFlags.parse(args, System.getenv(), warning -> LOG.warn(warning));
    } catch (ServerFlags.HelpRequested help) {
      help.print(System.out);
      return;
    } catch (CommandLine.ParameterException e) {
      System.err.println("cairn: " + e.getMessage() + " (see cairn --help)");
      System.exit(2);
      return;
    } catch (ConfigException e) {
      System.err.println("cairn: invalid configuration: " + e.getMessage());
      System.exit(1);
      return;
    }
    setLogLevel(config.logLevel());
    LOG.info("starting {}", config);
    CairnServer server;
    try {
      server = CairnServer.start(config, (what, cause) -> {
        LOG.error("fatal: {}; stopping the member to avoid divergence", what, cause);
        Runtime.getRuntime().halt(3);
      }, PeerFaults.NONE, FreeSpace.SYSTEM, timeline);
    } catch (ConfigException e) {
      System.err.println("cairn: invalid configuration: " + e.getMessage());
      System.exit(1);
      return;
    } catch (RuntimeException e) {
      if (NoSpaceLeft.causedBy(e)) {
        LOG.error("cannot start: {}; free space or give --data-dir a larger volume", DiskFullFailure.describe(
            FreeSpace.SYSTEM, List.of(config.walDir(), config.backendDir())), e);
      } else {
        LOG.error("cannot start", e);
      }
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("received shutdown signal, stopping");
      server.close();
      stopped.countDown();
    }, "cairn-shutdown"));
    // As etcd, a member removed from the cluster stops serving and the process exits (status 0).
    server.removed().thenRun(stopped::countDown);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (server.removed().isDone()) {
      System.exit(0);
    }
  }

  /** etcd's levels onto logback's: panic and fatal log errors only. */
  static void setLogLevel(String etcdLevel) {
    Level level = switch (etcdLevel) {
      case "debug" -> Level.DEBUG;
      case "info" -> Level.INFO;
      case "warn" -> Level.WARN;
      default -> Level.ERROR;
    };
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(level);
  }
}
