package io.cairn.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import io.cairn.server.tls.HttpsListenerTls;
import java.util.Optional;
import io.cairn.server.member.Member;
import io.cairn.server.member.MemberStatus;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP listeners on {@code --listen-metrics-urls}: {@code /metrics} in Prometheus text format and
 * {@code /health} answering as etcd does ({@code {"health":"true","reason":""}}, 503 without a
 * leader).
 */
public final class MetricsServer implements AutoCloseable {
  private final List<HttpServer> servers;

  private MetricsServer(List<HttpServer> servers) {
    this.servers = servers;
  }

  public static MetricsServer start(List<URI> urls, PrometheusMeterRegistry registry, Member member,
      Optional<HttpsListenerTls> tls) {
    List<HttpServer> started = new ArrayList<>();
    try {
      for (URI url : urls) {
        HttpServer http = create(url, tls);
        http.createContext("/metrics", ex -> reply(ex, 200, "text/plain; version=0.0.4", registry.scrape()));
        http.createContext("/health", ex -> health(ex, member.status()));
        http.start();
        started.add(http);
      }
    } catch (IOException e) {
      started.forEach(s -> s.stop(0));
      throw new UncheckedIOException("cannot listen for metrics on " + urls, e);
    }
    return new MetricsServer(started);
  }

  /** A plain HTTP listener, or HTTPS with the client side's TLS for an https:// URL. */
  private static HttpServer create(URI url, Optional<HttpsListenerTls> tls) throws IOException {
    InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());
    if (!url.getScheme().equals("https")) {
      return HttpServer.create(address, 0);
    }
    HttpsServer https = HttpsServer.create(address, 0);
    // ServerConfig refuses an https:// metrics URL without the client side's key pair.
    https.setHttpsConfigurator(tls.orElseThrow().configurator());
    return https;
  }

  private static void health(HttpExchange exchange, MemberStatus status) throws IOException {
    if (status.hasLeader()) {
      reply(exchange, 200, "application/json", "{\"health\":\"true\",\"reason\":\"\"}");
    } else {
      reply(exchange, 503, "application/json", "{\"health\":\"false\",\"reason\":\"RAFT NO LEADER\"}");
    }
  }

  private static void reply(HttpExchange exchange, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  public List<InetSocketAddress> addresses() {
    return servers.stream().map(HttpServer::getAddress).toList();
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
  }
}
