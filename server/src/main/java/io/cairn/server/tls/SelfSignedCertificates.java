package io.cairn.server.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * etcd's {@code --auto-tls} / {@code --peer-auto-tls} certificates: a self-signed ECDSA P-521
 * certificate for the listeners' hosts (IP or DNS subject alternative names), organization
 * "etcd", valid for {@code --self-signed-cert-validity} years, written as {@code cert.pem} and
 * {@code key.pem} in {@code <data-dir>/fixtures/client} or {@code .../peer}. As etcd, a pair
 * already there is reused. Generated with BouncyCastle; the key file is readable by its owner only.
 */
public final class SelfSignedCertificates {
  private SelfSignedCertificates() {}

  /** The pair in {@code dir}, generated first if it is not there; returns the cert and key paths. */
  public static KeyPairPaths ensure(Path dir, Collection<String> hosts, int validityYears) {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    if (Files.exists(cert) && Files.exists(key)) {
      return new KeyPairPaths(cert, key);
    }
    try {
      Files.createDirectories(dir);
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp521r1"));
      KeyPair pair = generator.generateKeyPair();
      X509Certificate certificate = selfSign(pair, hosts, validityYears);
      writeAtomically(key, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()), true);
      writeAtomically(cert, pem(certificate), false);
      return new KeyPairPaths(cert, key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write self-signed certificates to " + dir, e);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
    }
  }

  /** Where a certificate and its key are. */
  public record KeyPairPaths(Path certFile, Path keyFile) { }

  private static X509Certificate selfSign(KeyPair pair, Collection<String> hosts, int validityYears)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    X500Name subject = new X500Name("O=etcd");
    Instant now = Instant.now();
    BigInteger serial = new BigInteger(128, new SecureRandom());
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial, Date.from(now),
        Date.from(now.plus(Duration.ofDays(365L * validityYears))), subject, pair.getPublic());
    builder.addExtension(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.keyEncipherment | KeyUsage.digitalSignature));
    builder.addExtension(Extension.extendedKeyUsage, false,
        new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    List<GeneralName> names = new ArrayList<>();
    for (String host : distinct(hosts)) {
      names.add(isIpLiteral(host) ? new GeneralName(GeneralName.iPAddress, InetAddress.getByName(host).getHostAddress())
          : new GeneralName(GeneralName.dNSName, host));
    }
    if (!names.isEmpty()) {
      builder.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(names.toArray(new GeneralName[0])));
    }
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA512withECDSA").build(pair.getPrivate())));
  }

  private static Set<String> distinct(Collection<String> hosts) {
    Set<String> out = new LinkedHashSet<>();
    for (String h : hosts) {
      out.add(h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h);
    }
    return out;
  }

  private static boolean isIpLiteral(String host) {
    return host.contains(":") || host.matches("[0-9.]+");
  }

  private static String pem(Object object) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  private static void writeAtomically(Path target, String content, boolean ownerOnly) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (ownerOnly && tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(tmp, content, StandardCharsets.US_ASCII);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
