package io.cairn.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A size-limited tmpfs mounted for one test: a small disk that really fills up. Needs root (and
 * the right to mount): elsewhere the test is skipped, except under {@code CI=true}, where CI runs
 * as root and a failure to mount fails the test.
 */
public final class TmpfsVolume implements AutoCloseable {
  private final Path mountPoint;

  private TmpfsVolume(Path mountPoint) {
    this.mountPoint = mountPoint;
  }

  /** Mounts a tmpfs of {@code bytes} on {@code mountPoint} (created if missing). */
  public static TmpfsVolume mount(Path mountPoint, long bytes) throws IOException, InterruptedException {
    boolean ci = "true".equals(System.getenv("CI"));
    if (!ci) {
      assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
    }
    Files.createDirectories(mountPoint);
    int status = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", mountPoint.toString()));
    if (ci) {
      assertEquals(0, status, "mount a " + bytes + "-byte tmpfs on " + mountPoint);
    } else {
      assumeTrue(status == 0, "cannot mount a tmpfs here (no CAP_SYS_ADMIN?)");
    }
    return new TmpfsVolume(mountPoint);
  }

  public Path path() {
    return mountPoint;
  }

  /** Grows (or shrinks) the volume in place: an operator giving a full disk more room. */
  public void resize(long bytes) throws IOException, InterruptedException {
    assertEquals(0, run(List.of("mount", "-o", "remount,size=" + bytes, mountPoint.toString())), "remount");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run(List.of("umount", "-l", mountPoint.toString()));
  }

  private static int run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int status = process.waitFor();
    if (status != 0) {
      System.err.println(String.join(" ", command) + ": exit " + status + ": " + output);
    }
    return status;
  }
}
