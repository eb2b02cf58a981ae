package io.cairn.server.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.cairn.server.embed.EmbeddedCluster;
import io.cairn.server.testing.EtcdClient;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A flood of 10,000 undecodable requests (and connections that send no HTTP/2 at all) writes less
 * than 100 KB of log, in the production log format, and no stack trace; the member still serves.
 */
class MalformedFloodLogTest {
  private static final String PRODUCTION_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0}: %msg%n";
  private static final List<String> METHODS = List.of("etcdserverpb.KV/Put", "etcdserverpb.KV/Txn",
      "etcdserverpb.KV/Range", "etcdserverpb.Lease/LeaseGrant", "etcdserverpb.Maintenance/Status");

  @TempDir Path dir;

  @Test
  void aFloodOfMalformedRequestsWritesLittleLog() throws IOException {
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> appender = capture(logged);
    try (EmbeddedCluster cluster = EmbeddedCluster.builder(1).dataDir(dir).start()) {
      cluster.awaitLeader(Duration.ofSeconds(10));
      String endpoint = cluster.clientEndpoint(0);
      logged.reset();
      byte[] malformed = {0x0a, 0x7f, 0x01}; // field 1 claims 127 bytes, 1 follows
      try (RawCalls raw = new RawCalls(endpoint)) {
        for (int i = 0; i < 10_000; i++) {
          RawCalls.Answer answer = raw.call(METHODS.get(i % METHODS.size()), malformed);
          assertEquals(Status.Code.INTERNAL, answer.code(), answer.toString());
        }
      }
      int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
      for (int i = 0; i < 100; i++) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress("127.0.0.1", port));
          OutputStream out = socket.getOutputStream();
          out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n\u0000\u0001garbage".getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          socket.getInputStream().read(); // the server answers or closes
        }
      }
      try (EtcdClient client = new EtcdClient(endpoint)) {
        assertEquals(2, client.put("after", "v").getHeader().getRevision(), "the member still writes");
      }
    } finally {
      detach(appender);
    }
    String log = logged.toString(StandardCharsets.UTF_8);
    System.out.println("10,000 malformed requests and 100 garbage connections wrote " + logged.size() + " bytes of log");
    assertTrue(logged.size() < 100_000, "the flood wrote " + logged.size() + " bytes of log");
    assertTrue(log.contains("refused a request from /127.0.0.1:") && log.contains("etcdserverpb.KV/Put"),
        "a refusal names the peer and the method:\n" + log);
    assertTrue(!log.contains("\tat "), "no stack trace:\n" + log);
  }

  private static OutputStreamAppender<ILoggingEvent> capture(OutputStream out) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PRODUCTION_PATTERN);
    encoder.start();
    OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
    appender.setContext(context);
    appender.setEncoder(encoder);
    appender.setOutputStream(out);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    return appender;
  }

  private static void detach(OutputStreamAppender<ILoggingEvent> appender) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
  }
}
