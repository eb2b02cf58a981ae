package io.cairn.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Certificates made with the {@code openssl} command line exactly as {@code docs/cluster.md}
 * ("A 3-member TLS cluster") tells a user to: an RSA CA, and RSA keys in kubeadm's PKCS#1
 * encoding with certificates for 127.0.0.1 and localhost. A missing openssl skips the test
 * (fails it under CI=true), as {@link ExternalTools} does for etcd.
 */
public final class OpensslPki {
  private final Path dir;

  private OpensslPki(Path dir) {
    this.dir = dir;
  }

  /** Makes {@code ca.crt} and {@code ca.key} in {@code dir}. */
  public static OpensslPki create(Path dir) {
    requireOpenssl();
    OpensslPki pki = new OpensslPki(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pki.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "3650", "-subj", "/CN=etcd-ca");
    return pki;
  }

  public Path caFile() {
    return dir.resolve("ca.crt");
  }

  public Path certFile(String name) {
    return dir.resolve(name + ".crt");
  }

  public Path keyFile(String name) {
    return dir.resolve(name + ".key");
  }

  /**
   * {@code <name>.key} and {@code <name>.crt} signed by the CA, for common name {@code cn}, with
   * the extended key usages given ("serverAuth,clientAuth" for members, "clientAuth" for clients).
   */
  public void issue(String name, String cn, String extendedKeyUsage) {
    run("openssl", "genrsa", "-traditional", "-out", name + ".key", "2048");
    run("openssl", "req", "-new", "-key", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn);
    try {
      Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
          + "extendedKeyUsage=" + extendedKeyUsage + "\nkeyUsage=critical,digitalSignature,keyEncipherment\n",
          StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", name + ".crt", "-days", "365", "-extfile", name + ".ext");
  }

  private void run(String... command) {
    try {
      Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
          .redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static void requireOpenssl() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(d, "openssl"))) {
        return;
      }
    }
    String message = "'openssl' is not on PATH: install it with `apt-get install -y openssl`";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + " (required under CI=true)");
    }
    Assumptions.abort(message);
  }
}
