package io.cairn.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.api.EtcdException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JWT tokens issued by one member verify on another holding the key, and nothing else does. */
class JwtTokensTest {
  @TempDir Path dir;

  private Path pem(String name, String type, byte[] der) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END " + type + "-----\n");
    return file;
  }

  @Test
  void rs256TokenFromOneMemberVerifiesOnAnother() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair keys = g.generateKeyPair();
    check("RS256", pem("rsa.key", "PRIVATE KEY", keys.getPrivate().getEncoded()),
        pem("rsa.pub", "PUBLIC KEY", keys.getPublic().getEncoded()));
  }

  @Test
  void es256TokenFromOneMemberVerifiesOnAnother() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = g.generateKeyPair();
    check("ES256", pem("ec.key", "PRIVATE KEY", keys.getPrivate().getEncoded()),
        pem("ec.pub", "PUBLIC KEY", keys.getPublic().getEncoded()));
  }

  private void check(String method, Path priv, Path pub) {
    JwtTokens issuer = JwtTokens.from(Map.of("sign-method", method, "priv-key", priv.toString()));
    JwtTokens verifier = JwtTokens.from(Map.of("sign-method", method, "pub-key", pub.toString(), "ttl", "10m"));
    String token = issuer.assign("alice", 7, "", 42);
    assertEquals(new AuthInfo("alice", 7), verifier.info(token, 99), "the revision is the token's, not the store's");
    assertEquals(new AuthInfo("alice", 7), issuer.info(token, 99));
    String tampered = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertNull(verifier.info(tampered, 99));
    assertNull(verifier.info("garbage", 99));
    assertNull(verifier.info("abc.1", 99));
    assertThrows(EtcdException.class, () -> verifier.assign("alice", 7, "", 43), "verify-only");
  }
}
