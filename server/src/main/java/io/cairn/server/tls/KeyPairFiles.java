package io.cairn.server.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A certificate file and its key file, loaded into a JDK key manager. {@link #stamp()} tells
 * whether either file changed on disk since, so the pair can be re-read when it is rotated.
 */
final class KeyPairFiles {
  private final Path certFile;
  private final Path keyFile;

  KeyPairFiles(Path certFile, Path keyFile) {
    this.certFile = certFile;
    this.keyFile = keyFile;
  }

  Path certFile() {
    return certFile;
  }

  Path keyFile() {
    return keyFile;
  }

  /** Changes whenever either file is replaced or rewritten. */
  String stamp() throws IOException {
    return stampOf(certFile) + "|" + stampOf(keyFile);
  }

  private static String stampOf(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    Object key = a.fileKey();
    return a.lastModifiedTime().toMillis() + ":" + a.lastModifiedTime().toInstant().getNano() + ":" + a.size()
        + ":" + key;
  }

  /**
   * Loads the pair into a key manager holding it under {@code alias}; fails when the files do
   * not hold a certificate and the private key matching it (e.g. while a rotation is half written).
   */
  X509ExtendedKeyManager load(String alias) throws IOException, GeneralSecurityException {
    List<X509Certificate> chain = PemFiles.certificates(certFile);
    PrivateKey key = PemFiles.privateKey(keyFile);
    requireMatch(chain.get(0), key);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = new char[0];
    store.setKeyEntry(alias, key, password, chain.toArray(new X509Certificate[0]));
    KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509");
    factory.init(store, password);
    return (X509ExtendedKeyManager) factory.getKeyManagers()[0];
  }

  /** The key signs what the certificate's public key verifies. */
  private void requireMatch(X509Certificate cert, PrivateKey key) throws GeneralSecurityException {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm() + " in " + keyFile);
    };
    byte[] probe = "cairn key pair check".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(cert.getPublicKey());
    verifier.update(probe);
    if (!verifier.verify(signature)) {
      throw new GeneralSecurityException("private key " + keyFile + " does not match certificate " + certFile);
    }
  }
}
