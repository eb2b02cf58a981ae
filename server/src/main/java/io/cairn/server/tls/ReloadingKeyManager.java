package io.cairn.server.tls;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key manager over a certificate and key file that picks up a rotated pair without a restart:
 * at every handshake it checks whether the files changed on disk and, if so, loads them again
 * (etcd re-reads its key pair on every handshake; {@code kubeadm certs renew} relies on that).
 * Connections already open keep the pair they were made with.
 *
 * <p>A pair that does not load (a half-written rotation, a key that does not match) leaves the
 * previous pair in use and is tried again at the next handshake; each failure is logged once
 * through {@link TlsFailureLog}. Aliases carry the generation of the pair they came from, so a
 * handshake that chose an alias just before a reload still gets that pair's chain and key.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
  private static final int GENERATIONS_KEPT = 4;

  private final KeyPairFiles files;
  private final TlsFailureLog log;
  /** Guarded by this. */
  private String stamp;
  private int generation;
  private final Map<Integer, X509ExtendedKeyManager> loaded = new LinkedHashMap<>() {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Integer, X509ExtendedKeyManager> eldest) {
      return size() > GENERATIONS_KEPT;
    }
  };

  /** Loads the pair now: a pair that cannot be read at start is a configuration error (thrown). */
  ReloadingKeyManager(KeyPairFiles files, TlsFailureLog log) throws IOException, GeneralSecurityException {
    this.files = files;
    this.log = log;
    String initialStamp = files.stamp();
    loaded.put(0, files.load(alias(0)));
    this.stamp = initialStamp;
  }

  private static String alias(int generation) {
    return "cairn-" + generation;
  }

  /** The newest pair's generation, reloading first if the files changed. */
  private synchronized int current() {
    try {
      String now = files.stamp();
      if (!now.equals(stamp)) {
        int next = generation + 1;
        loaded.put(next, files.load(alias(next)));
        generation = next;
        stamp = now;
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      log.failed("cannot reload the key pair " + files.certFile() + " / " + files.keyFile()
          + " (still using the previous one): " + e.getMessage());
    }
    return generation;
  }

  private synchronized X509ExtendedKeyManager byAlias(String alias) {
    if (alias == null || !alias.startsWith("cairn-")) {
      return null;
    }
    try {
      return loaded.get(Integer.parseInt(alias.substring("cairn-".length())));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private synchronized X509ExtendedKeyManager generation(int g) {
    return loaded.get(g);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return generation(current()).chooseEngineServerAlias(keyType, issuers, engine);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return generation(current()).chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return generation(current()).chooseEngineClientAlias(keyTypes, issuers, engine);
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return generation(current()).chooseClientAlias(keyTypes, issuers, socket);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    X509ExtendedKeyManager m = byAlias(alias);
    return m == null ? null : m.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    X509ExtendedKeyManager m = byAlias(alias);
    return m == null ? null : m.getPrivateKey(alias);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return generation(current()).getClientAliases(keyType, issuers);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return generation(current()).getServerAliases(keyType, issuers);
  }
}
