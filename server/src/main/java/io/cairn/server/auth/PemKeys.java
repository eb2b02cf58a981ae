package io.cairn.server.auth;

import io.cairn.server.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Reads the PEM key files etcd's JWT options name: PKCS#8 ({@code PRIVATE KEY}), PKCS#1
 * ({@code RSA PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}) and X.509 {@code PUBLIC KEY}.
 */
final class PemKeys {
  private PemKeys() {}

  static PrivateKey privateKey(byte[] pem, String family) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    byte[] der = der(text);
    try {
      KeyFactory factory = KeyFactory.getInstance(family);
      if (text.contains("BEGIN RSA PRIVATE KEY")) {
        RSAPrivateKey k = RSAPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
        return factory.generatePrivate(new RSAPrivateCrtKeySpec(k.getModulus(), k.getPublicExponent(),
            k.getPrivateExponent(), k.getPrime1(), k.getPrime2(), k.getExponent1(), k.getExponent2(), k.getCoefficient()));
      }
      if (text.contains("BEGIN EC PRIVATE KEY")) {
        org.bouncycastle.asn1.sec.ECPrivateKey k =
            org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(ASN1Primitive.fromByteArray(der));
        PrivateKeyInfo info = new PrivateKeyInfo(
            new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, k.getParametersObject()), k);
        return factory.generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
      }
      return factory.generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | java.io.IOException | IllegalArgumentException e) {
      throw new ConfigException("--auth-token", "unreadable private key: " + e.getMessage());
    }
  }

  static PublicKey publicKey(byte[] pem, String family) {
    try {
      return KeyFactory.getInstance(family).generatePublic(
          new X509EncodedKeySpec(der(new String(pem, StandardCharsets.US_ASCII))));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigException("--auth-token", "unreadable public key: " + e.getMessage());
    }
  }

  /** The public half of a private key (to verify what this member signs). */
  static PublicKey publicOf(PrivateKey key) {
    try {
      if (key instanceof RSAPrivateCrtKey rsa) {
        return KeyFactory.getInstance("RSA").generatePublic(
            new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      }
      BCECPrivateKey ec = (BCECPrivateKey) KeyFactory.getInstance("EC", new BouncyCastleProvider())
          .generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
      org.bouncycastle.math.ec.ECPoint q = ec.getParameters().getG().multiply(ec.getD()).normalize();
      org.bouncycastle.jce.spec.ECPublicKeySpec spec = new org.bouncycastle.jce.spec.ECPublicKeySpec(q, ec.getParameters());
      PublicKey bcPublic = KeyFactory.getInstance("EC", new BouncyCastleProvider()).generatePublic(spec);
      return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(bcPublic.getEncoded()));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new ConfigException("--auth-token", "cannot derive the public key: " + e.getMessage());
    }
  }

  private static byte[] der(String pem) {
    StringBuilder b64 = new StringBuilder();
    for (String line : pem.split("\\R")) {
      if (!line.startsWith("-----") && !line.contains(":")) {
        b64.append(line.trim());
      }
    }
    return Base64.getDecoder().decode(b64.toString());
  }

}
