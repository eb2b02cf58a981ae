package io.cairn.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads the PEM files etcd's TLS flags name: certificate chains and CA bundles (X.509), private
 * keys in any of the encodings openssl, cfssl and kubeadm write (PKCS#1 {@code RSA PRIVATE KEY},
 * SEC1 {@code EC PRIVATE KEY}, PKCS#8 {@code PRIVATE KEY}), and CRLs (PEM or DER). Parsing is
 * BouncyCastle's and the JDK's. Errors name the file, never its content.
 */
public final class PemFiles {
  private PemFiles() {}

  /** Every certificate in {@code file}, in order (a leaf first, for a chain). */
  public static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
    Collection<? extends java.security.cert.Certificate> certs;
    try (InputStream in = Files.newInputStream(file)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    List<X509Certificate> out = new ArrayList<>();
    for (java.security.cert.Certificate c : certs) {
      out.add((X509Certificate) c);
    }
    if (out.isEmpty()) {
      throw new GeneralSecurityException("no certificate in " + file);
    }
    return out;
  }

  /** The private key in {@code file}; an encrypted key is refused, as etcd refuses it. */
  public static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
        if (item instanceof PEMKeyPair pair) {
          return converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1 keys may carry no public key
        }
        if (item instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    } catch (org.bouncycastle.openssl.PEMException e) {
      throw new GeneralSecurityException("cannot decode the private key in " + file + ": " + e.getMessage()
          + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
    }
    throw new GeneralSecurityException("no unencrypted private key in " + file);
  }

  /** The revocation list in {@code file}. */
  public static X509CRL crl(Path file) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      CRL crl = CertificateFactory.getInstance("X.509").generateCRL(in);
      return (X509CRL) crl;
    }
  }
}
