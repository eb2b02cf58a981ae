package io.cairn.server.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies the other side's certificate as etcd does: signed by a CA of the trusted CA file (the
 * JDK's PKIX checks: chain, validity, key usage, and on the dialing side the host name), then, on
 * the listening side, not revoked by the CRL file (re-read at every handshake, as etcd re-reads
 * it), and, for peers, etcd's {@code --peer-cert-allowed-cn} / {@code --peer-cert-allowed-hostname}.
 * Every refusal is reported to the {@link TlsFailureLog}, naming the remote address.
 */
final class VerifyingTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager pkix;
  private final Path crlFile;
  private final CertificateRules rules;
  private final TlsFailureLog log;
  private final String side;
  /** Counts the refusals logged here, so that {@link FailedHandshakes} does not log them again. */
  private final AtomicLong explained = new AtomicLong();

  private VerifyingTrustManager(X509ExtendedTrustManager pkix, Path crlFile, CertificateRules rules,
      TlsFailureLog log, String side) {
    this.pkix = pkix;
    this.crlFile = crlFile;
    this.rules = rules;
    this.log = log;
    this.side = side;
  }

  /**
   * Trusts the CAs of {@code caFile}, or the JDK's default CAs when it is null.
   *
   * @param side what is verified, for log lines ("client", "peer")
   */
  static VerifyingTrustManager trusting(Path caFile, Path crlFile, CertificateRules rules, TlsFailureLog log,
      String side) throws IOException, GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
    if (caFile == null) {
      factory.init((KeyStore) null);
    } else {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      List<X509Certificate> cas = PemFiles.certificates(caFile);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      factory.init(store);
    }
    return new VerifyingTrustManager((X509ExtendedTrustManager) factory.getTrustManagers()[0], crlFile, rules, log,
        side);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      pkix.checkClientTrusted(chain, authType, engine);
      checkRevoked(chain[0]);
      rules.check(chain[0]);
    } catch (CertificateException e) {
      explained.incrementAndGet();
      log.failed("rejected the " + side + " certificate " + subject(chain) + ": " + e.getMessage());
      throw e;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      pkix.checkServerTrusted(chain, authType, engine);
      rules.check(chain[0]);
    } catch (CertificateException e) {
      log.failed("rejected the " + side + " server certificate of " + remote(engine) + " (" + subject(chain) + "): "
          + e.getMessage());
      throw e;
    }
  }

  private void checkRevoked(X509Certificate cert) throws CertificateException {
    if (crlFile == null) {
      return;
    }
    X509CRL crl;
    try {
      crl = PemFiles.crl(crlFile);
    } catch (IOException | GeneralSecurityException e) {
      throw new CertificateException("cannot read the CRL file " + crlFile + ": " + e.getMessage());
    }
    if (crl.isRevoked(cert)) {
      throw new CertificateException("certificate with serial " + cert.getSerialNumber().toString(16)
          + " revoked");
    }
  }

  /** Refusals of client certificates logged here (see {@link FailedHandshakes}). */
  AtomicLong explained() {
    return explained;
  }

  private static String remote(SSLEngine engine) {
    return engine == null || engine.getPeerHost() == null ? "an unknown peer"
        : engine.getPeerHost() + ":" + engine.getPeerPort();
  }

  private static String subject(X509Certificate[] chain) {
    return chain == null || chain.length == 0 ? "no certificate" : chain[0].getSubjectX500Principal().getName();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    checkClientTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    checkServerTrusted(chain, authType, (SSLEngine) null);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }
}
