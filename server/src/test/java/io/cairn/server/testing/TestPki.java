package io.cairn.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for tests (BouncyCastle): a CA, and server/client/peer
 * certificates it signs, written as PEM files the way kubeadm or openssl would write them.
 */
public final class TestPki {
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final Path dir;

  private TestPki(KeyPair caKeys, X509Certificate caCert, Path dir) {
    this.caKeys = caKeys;
    this.caCert = caCert;
    this.dir = dir;
  }

  /** A new CA named {@code name}, writing its files under {@code dir}. */
  public static TestPki create(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      KeyPair keys = ecKeys();
      X500Name subject = new X500Name("CN=" + name);
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(60)),
          Date.from(now.plus(Duration.ofDays(3650))), subject, keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign
          | KeyUsage.digitalSignature));
      X509Certificate cert = sign(b, keys);
      TestPki pki = new TestPki(keys, cert, dir);
      write(dir.resolve(name + "-ca.crt"), pem(cert));
      return pki;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The CA certificate file (what {@code --trusted-ca-file} and {@code etcdctl --cacert} take). */
  public Path caFile() {
    return dir.resolve(caCert.getSubjectX500Principal().getName().substring(3) + "-ca.crt");
  }

  /** A certificate file and its key file. */
  public record Issued(Path certFile, Path keyFile, X509Certificate certificate) { }

  /**
   * Issues a certificate for {@code cn}, valid for 127.0.0.1 and localhost, usable for server and
   * client authentication (as kubeadm's etcd server and peer certificates are); files
   * {@code <fileName>.crt} and {@code .key}.
   */
  public Issued issue(String fileName, String cn) {
    return issue(fileName, cn, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofDays(365)));
  }

  /** As {@link #issue(String, String)}, valid only from {@code notBefore} to {@code notAfter}. */
  public Issued issue(String fileName, String cn, Instant notBefore, Instant notAfter) {
    try {
      KeyPair keys = ecKeys();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + caName()), serial(),
          Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + cn), keys.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      List<GeneralName> names = new ArrayList<>(List.of(new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
          new GeneralName(GeneralName.dNSName, "localhost")));
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
      X509Certificate cert = sign(b, caKeys);
      Path certFile = dir.resolve(fileName + ".crt");
      Path keyFile = dir.resolve(fileName + ".key");
      write(keyFile, pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()));
      write(certFile, pem(cert));
      return new Issued(certFile, keyFile, cert);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes a CRL revoking {@code revoked} to {@code file}. */
  public Path crl(Path file, X509Certificate... revoked) {
    try {
      Instant now = Instant.now();
      X509v2CRLBuilder b = new JcaX509v2CRLBuilder(caCert, Date.from(now.minusSeconds(60)));
      b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
      for (X509Certificate c : revoked) {
        b.addCRLEntry(c.getSerialNumber(), Date.from(now.minusSeconds(30)), 0);
      }
      var crl = new JcaX509CRLConverter().getCRL(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
          .build(caKeys.getPrivate())));
      write(file, pem(crl));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  private String caName() {
    return caCert.getSubjectX500Principal().getName().substring(3);
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(SERIALS.incrementAndGet());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static String pem(Object o) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  /** Writes through a temporary file and a rename, as kubeadm and cert-manager replace files. */
  private static void write(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
