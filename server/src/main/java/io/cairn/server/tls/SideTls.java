package io.cairn.server.tls;

import io.cairn.server.config.CipherSuiteNames;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.TlsSettings;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.net.URI;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One side's (clients' or peers') TLS, ready to use: Netty SSL contexts for its listeners and for
 * dialing out, built once from the side's {@link TlsSettings}. The key pair inside re-reads its
 * files when they change, so the contexts never need rebuilding.
 */
final class SideTls {
  private static final List<String> JAVA_VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  private final TlsSettings settings;
  private final ReloadingKeyManager keys;
  /** Verifies the certificates of those who connect to this side's listeners; null: none asked for. */
  private final VerifyingTrustManager listenerTrust;
  private final TlsFailureLog log;
  /** Verifies the certificates of the listeners this side dials. */
  private final X509ExtendedTrustManager dialerTrust;
  private final SslContext listenerContext;
  private final SslContext dialerContext;

  private SideTls(TlsSettings settings, ReloadingKeyManager keys, VerifyingTrustManager listenerTrust,
      X509ExtendedTrustManager dialerTrust, TlsFailureLog log) throws SSLException {
    this.log = log;
    this.settings = settings;
    this.keys = keys;
    this.listenerTrust = listenerTrust;
    this.dialerTrust = dialerTrust;
    SslContextBuilder listener = GrpcSslContexts.configure(SslContextBuilder.forServer(keys), SslProvider.JDK)
        .clientAuth(listenerTrust == null ? ClientAuth.NONE : ClientAuth.REQUIRE);
    if (listenerTrust != null) {
      listener.trustManager(listenerTrust);
    }
    this.listenerContext = restrict(listener).build();
    this.dialerContext = restrict(GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
        .keyManager(keys).trustManager(dialerTrust)).build();
  }

  /**
   * The side's TLS from its settings and the key pair to serve (given by flags, or generated for
   * auto-TLS). With auto-TLS, as in etcd, nothing is verified: every member's certificate is
   * self-signed.
   *
   * @throws ConfigException naming the flag whose file cannot be used
   */
  static SideTls open(TlsSettings settings, Path certFile, Path keyFile, boolean selfSigned, TlsFailureLog log,
      String side) {
    String p = settings.flagPrefix();
    ReloadingKeyManager keys;
    try {
      keys = new ReloadingKeyManager(new KeyPairFiles(certFile, keyFile), log);
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("--" + p + "cert-file", "cannot load the key pair " + certFile + " / " + keyFile
          + ": " + e.getMessage());
    }
    CertificateRules rules = new CertificateRules(settings.allowedCn(), settings.allowedHostname());
    Path ca = selfSigned ? null : settings.trustedCaFile().orElse(null);
    try {
      VerifyingTrustManager listenerTrust = !selfSigned && settings.requiresClientCertificates()
          ? VerifyingTrustManager.trusting(ca, settings.crlFile().orElse(null), rules, log, side) : null;
      X509ExtendedTrustManager dialerTrust = selfSigned ? TrustAnyCertificate.INSTANCE
          : VerifyingTrustManager.trusting(ca, null, rules, log, side);
      return new SideTls(settings, keys, listenerTrust, dialerTrust, log);
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("--" + p + "trusted-ca-file", "cannot load " + ca + ": " + e.getMessage());
    }
  }

  SslContext listenerContext() {
    return listenerContext;
  }

  /** Reports the failed handshakes of the listener on {@code url}. */
  FailedHandshakes failedHandshakesOn(URI url) {
    return new FailedHandshakes(url, log, listenerTrust == null ? new AtomicLong() : listenerTrust.explained());
  }

  SslContext dialerContext() {
    return dialerContext;
  }

  /** A JDK context for this side's listeners outside gRPC (the metrics endpoints). */
  SSLContext jdkListenerContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(new KeyManager[] {keys},
          listenerTrust == null ? new TrustManager[] {TrustAnyCertificate.INSTANCE} : new TrustManager[] {listenerTrust},
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
    }
  }

  /** Configures a JDK listener's parameters as this side's gRPC listeners are. */
  void configure(SSLParameters parameters) {
    parameters.setNeedClientAuth(listenerTrust != null);
    parameters.setProtocols(protocols().toArray(new String[0]));
    List<String> ciphers = ciphers();
    if (ciphers != null) {
      parameters.setCipherSuites(ciphers.toArray(new String[0]));
    }
  }

  private SslContextBuilder restrict(SslContextBuilder builder) {
    builder.protocols(protocols());
    List<String> ciphers = ciphers();
    if (ciphers != null) {
      builder.ciphers(ciphers);
    }
    return builder;
  }

  /** Java's names of the versions from {@code --tls-min-version} to {@code --tls-max-version}. */
  private List<String> protocols() {
    int min = settings.minVersion().isEmpty() ? 2 : TlsSettings.VERSIONS.indexOf(settings.minVersion());
    int max = settings.maxVersion().isEmpty() ? 3 : TlsSettings.VERSIONS.indexOf(settings.maxVersion());
    return JAVA_VERSIONS.subList(min, max + 1);
  }

  /** {@code --cipher-suites} in Java's names (plus TLS 1.3's, which Go never restricts); null: the defaults. */
  private List<String> ciphers() {
    if (settings.cipherSuites().isEmpty()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    settings.cipherSuites().forEach(s -> out.add(CipherSuiteNames.javaName(s)));
    if (protocols().contains("TLSv1.3")) {
      out.addAll(CipherSuiteNames.TLS13_SUITES);
    }
    return out;
  }
}
