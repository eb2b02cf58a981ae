package io.cairn.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.cairn.api.etcdserverpb.KVGrpc;
import io.cairn.api.etcdserverpb.RangeRequest;
import io.cairn.api.etcdserverpb.RangeResponse;
import io.cairn.bench.cli.BenchCommand;
import io.cairn.bench.report.BenchReport;
import io.cairn.bench.report.ReportPrinter;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs tiny scenarios through the command line against a real etcd and checks both the report
 * and what actually landed in etcd.
 */
class EtcdEndToEndTest {
  private static EtcdProcess etcd;
  private static ManagedChannel channel;

  @BeforeAll
  static void startEtcd() throws Exception {
    etcd = EtcdProcess.start();
    StringWriter err = new StringWriter();
    picocli.CommandLine statusCli = cli(new StringWriter(), err);
    int code = statusCli.execute("status", "--endpoints", etcd.endpoint, "--wait", "20s");
    assertEquals(0, code, "etcd did not become healthy: " + err + "\n" + etcd.log());
    URI uri = URI.create(etcd.endpoint);
    channel = Grpc.newChannelBuilderForAddress(uri.getHost(), uri.getPort(),
        InsecureChannelCredentials.create()).build();
  }

  @AfterAll
  static void stopEtcd() throws Exception {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  private static picocli.CommandLine cli(StringWriter out, StringWriter err) {
    picocli.CommandLine cli = new picocli.CommandLine(new BenchCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli;
  }

  private static BenchReport runJson(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 3];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--endpoints";
    all[args.length + 1] = etcd.endpoint;
    all[args.length + 2] = "--json";
    int code = cli(out, err).execute(all);
    assertEquals(0, code, "exit code; stderr:\n" + err);
    return ReportPrinter.GSON.fromJson(out.toString(), BenchReport.class);
  }

  private static RangeResponse count(String prefix) {
    ByteString key = ByteString.copyFromUtf8(prefix);
    byte[] end = key.toByteArray();
    end[end.length - 1]++;
    return KVGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .range(RangeRequest.newBuilder().setKey(key).setRangeEnd(ByteString.copyFrom(end))
            .setCountOnly(true).build());
  }

  @Test
  void putWritesEveryKeyItReports() {
    BenchReport report = runJson("put", "--total", "300", "--clients", "8", "--conns", "3",
        "--sequential-keys", "--key-prefix", "/e2e-put/", "--val-size", "16", "--seed", "1");
    assertEquals("put", report.scenario());
    assertEquals(300, report.headline().ok());
    assertEquals(0, report.headline().errors());
    assertTrue(report.headline().p50Ms() > 0 && report.headline().p50Ms() <= report.headline().maxMs());
    assertEquals(300, count("/e2e-put/").getCount(), "distinct sequential keys in etcd");
  }

  @Test
  void rangeReadsThePopulatedPrefix() {
    BenchReport report = runJson("range", "--total", "100", "--clients", "4", "--prefix",
        "--key", "/e2e-range/", "--populate", "25", "--consistency", "s");
    assertEquals(100, report.headline().ok());
    assertEquals(0, report.headline().errors());
    assertEquals(25, count("/e2e-range/").getCount());
  }

  @Test
  void txnPutConflictsAccountForEveryFailedSwap() {
    BenchReport report = runJson("txn-put", "--total", "200", "--clients", "6",
        "--key-prefix", "/e2e-cas/", "--key-space-size", "1", "--key-size", "1", "--seed", "3");
    assertEquals(200, report.headline().ok());
    long conflicts = report.counters().getOrDefault("conflicts", 0L);
    RangeResponse r = KVGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("/e2e-cas/0")).build());
    // Each successful swap wrote the single key once, so its version counts the successes.
    assertEquals(200 - conflicts, r.getKvs(0).getVersion());
    assertTrue(conflicts > 0, "6 clients on one key must collide at least once");
  }
}
