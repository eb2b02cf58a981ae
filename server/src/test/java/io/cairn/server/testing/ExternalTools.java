package io.cairn.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the real etcd tools the compatibility tests compare against. On a developer machine a
 * missing tool skips the test with a message naming the Debian package; under CI=true it fails,
 * so CI can never pass without actually running the comparison.
 */
public final class ExternalTools {
  private ExternalTools() {}

  /** The etcd 3.4 server binary (Debian package etcd-server). */
  public static Path etcd() {
    return require("etcd", "etcd-server");
  }

  /** The etcdctl client (Debian package etcd-client). */
  public static Path etcdctl() {
    return require("etcdctl", "etcd-client");
  }

  private static Path require(String binary, String debianPackage) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, binary);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String message = "'" + binary + "' is not on PATH: install it with `apt-get install -y " + debianPackage + "`";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + " (required under CI=true)");
    }
    Assumptions.abort(message);
    return null;
  }
}
