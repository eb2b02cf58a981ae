package io.cairn.bench.cli;

import io.cairn.api.etcdserverpb.StatusRequest;
import io.cairn.api.etcdserverpb.StatusResponse;
import io.cairn.bench.client.Endpoint;
import io.cairn.bench.client.EtcdClients;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Health probe for scripts: waits until every endpoint answers Maintenance.Status and reports a
 * leader, then prints one line per endpoint. Exit code 0 when healthy, 1 on timeout.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Wait until every endpoint answers Status with a leader (exit 0), or time out "
        + "(exit 1).")
final class StatusCommand implements Callable<Integer> {
  private static final long POLL_MILLIS = 200;

  @Option(names = "--endpoints", defaultValue = "127.0.0.1:2379",
      description = "Comma-separated endpoints. Default: ${DEFAULT-VALUE}.")
  String endpoints;

  @Option(names = "--wait", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long to keep trying. Default: ${DEFAULT-VALUE}.")
  Duration wait;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    List<Endpoint> list = Endpoint.parseList(endpoints);
    PrintWriter out = spec.commandLine().getOut();
    long deadline = System.nanoTime() + wait.toNanos();
    for (Endpoint endpoint : list) {
      try (EtcdClients client = EtcdClients.connect(List.of(endpoint), 1, Duration.ofSeconds(2))) {
        String lastProblem = "not tried";
        while (true) {
          try {
            StatusResponse s = client.maintenanceBlocking(0).status(StatusRequest.getDefaultInstance());
            if (s.getLeader() != 0) {
              out.printf("%s: version %s, member %x, leader %x, raft term %d, db %d bytes%n",
                  endpoint, s.getVersion(), s.getHeader().getMemberId(), s.getLeader(),
                  s.getRaftTerm(), s.getDbSize());
              break;
            }
            lastProblem = "no leader";
          } catch (RuntimeException e) {
            lastProblem = e.getMessage();
          }
          if (System.nanoTime() > deadline) {
            spec.commandLine().getErr().printf("%s: not healthy within %s: %s%n",
                endpoint, wait, lastProblem);
            return 1;
          }
          Thread.sleep(POLL_MILLIS);
        }
      }
    }
    out.flush();
    return 0;
  }
}
