package io.cairn.server.testing;

import io.cairn.server.tls.PemFiles;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** TLS clients for tests: gRPC channels over mTLS, and a bare handshake that shows the served certificate. */
public final class TlsClients {
  private TlsClients() {}

  /** A gRPC channel to {@code host:port} trusting {@code caFile}, showing {@code client} (null: no certificate). */
  public static ManagedChannel channel(String host, int port, Path caFile, TestPki.Issued client) {
    try {
      SslContextBuilder ssl = GrpcSslContexts.forClient()
          .trustManager(PemFiles.certificates(caFile).toArray(new X509Certificate[0]));
      if (client != null) {
        ssl.keyManager(PemFiles.privateKey(client.keyFile()),
            PemFiles.certificates(client.certFile()).toArray(new X509Certificate[0]));
      }
      return NettyChannelBuilder.forAddress(host, port).sslContext(ssl.build()).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Handshakes with {@code address} on a new connection and returns the certificate it served. */
  public static X509Certificate servedCertificate(InetSocketAddress address, Path caFile, TestPki.Issued client)
      throws IOException, GeneralSecurityException {
    try (SSLSocket socket = (SSLSocket) sslContext(caFile, client).getSocketFactory().createSocket(
        address.getHostString(), address.getPort())) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  /** A JDK TLS context trusting {@code caFile} and showing {@code client} (null: no certificate). */
  public static SSLContext sslContext(Path caFile, TestPki.Issued client) throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", PemFiles.certificates(caFile).get(0));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    if (client != null) {
      keys.setKeyEntry("me", PemFiles.privateKey(client.keyFile()), new char[0],
          PemFiles.certificates(client.certFile()).toArray(new X509Certificate[0]));
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(keys, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }
}
