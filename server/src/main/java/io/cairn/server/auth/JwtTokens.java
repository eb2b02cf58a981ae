package io.cairn.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.cairn.server.config.ConfigException;
import io.cairn.server.config.GoDuration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.Date;
import java.util.Map;

/**
 * etcd's JWT tokens ({@code --auth-token=jwt,...}): signed claims {@code username},
 * {@code revision} and {@code exp}, so any member holding the key verifies a token another member
 * issued. A member given only a public key verifies and cannot issue (etcd's verify-only mode).
 */
final class JwtTokens implements TokenProvider {
  private static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

  private final JWSAlgorithm algorithm;
  private final JWSSigner signer;
  private final JWSVerifier verifier;
  private final Duration ttl;

  private JwtTokens(JWSAlgorithm algorithm, JWSSigner signer, JWSVerifier verifier, Duration ttl) {
    this.algorithm = algorithm;
    this.signer = signer;
    this.verifier = verifier;
    this.ttl = ttl;
  }

  /** Builds the provider from etcd's options: sign-method, pub-key, priv-key, ttl. */
  static JwtTokens from(Map<String, String> options) {
    String method = options.getOrDefault("sign-method", "");
    Duration ttl = options.containsKey("ttl") && !options.get("ttl").isEmpty()
        ? GoDuration.parse("--auth-token ttl", options.get("ttl")) : DEFAULT_TTL;
    JWSAlgorithm algorithm = JWSAlgorithm.parse(method);
    byte[] pub = read(options.get("pub-key"));
    byte[] priv = read(options.get("priv-key"));
    try {
      if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
        if (priv == null) {
          throw new ConfigException("--auth-token", "auth: missing key data");
        }
        return new JwtTokens(algorithm, new MACSigner(priv), new MACVerifier(priv), ttl);
      }
      boolean rsa = JWSAlgorithm.Family.RSA.contains(algorithm);
      boolean ec = JWSAlgorithm.Family.EC.contains(algorithm);
      if (!rsa && !ec) {
        throw new ConfigException("--auth-token", "auth: invalid auth signature method");
      }
      String family = rsa ? "RSA" : "EC";
      PrivateKey privateKey = priv == null ? null : PemKeys.privateKey(priv, family);
      PublicKey publicKey = pub != null ? PemKeys.publicKey(pub, family)
          : privateKey != null ? PemKeys.publicOf(privateKey) : null;
      if (publicKey == null) {
        throw new ConfigException("--auth-token", "auth: missing key data");
      }
      JWSSigner signer = privateKey == null ? null
          : rsa ? new RSASSASigner(privateKey) : new ECDSASigner((ECPrivateKey) privateKey);
      JWSVerifier verifier = rsa ? new RSASSAVerifier((RSAPublicKey) publicKey)
          : new ECDSAVerifier((ECPublicKey) publicKey);
      return new JwtTokens(algorithm, signer, verifier, ttl);
    } catch (JOSEException | ClassCastException e) {
      throw new ConfigException("--auth-token", "unusable JWT key: " + e.getMessage());
    }
  }

  private static byte[] read(String file) {
    if (file == null || file.isEmpty()) {
      return null;
    }
    try {
      return Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new ConfigException("--auth-token", "cannot read key file " + file + ": " + e.getMessage());
    }
  }

  @Override
  public String newPrefix() {
    return "";
  }

  @Override
  public String assign(String user, long authRevision, String prefix, long index) {
    if (signer == null) {
      throw io.cairn.api.EtcdError.AUTH_FAILED.exception(); // verify-only: etcd's ErrVerifyOnly
    }
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .claim("username", user)
        .claim("revision", authRevision)
        .expirationTime(new Date(System.currentTimeMillis() + ttl.toMillis()))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a JWT token", e);
    }
    return jwt.serialize();
  }

  @Override
  public AuthInfo info(String token, long currentRevision) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!jwt.getHeader().getAlgorithm().equals(algorithm) || !jwt.verify(verifier)) {
        return null;
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date exp = claims.getExpirationTime();
      if (exp != null && exp.getTime() < System.currentTimeMillis()) {
        return null;
      }
      String user = claims.getStringClaim("username");
      Number revision = (Number) claims.getClaim("revision");
      if (user == null || revision == null) {
        return null;
      }
      return new AuthInfo(user, revision.longValue());
    } catch (ParseException | JOSEException | ClassCastException e) {
      return null;
    }
  }

  @Override
  public void invalidateUser(String user) {
    // A JWT stays valid until it expires; its revision goes stale with the change.
  }

  @Override
  public void enable() {
  }

  @Override
  public void disable() {
  }
}
