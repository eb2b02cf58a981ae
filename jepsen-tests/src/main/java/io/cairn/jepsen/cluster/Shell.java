package io.cairn.jepsen.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the few system tools the harness needs ({@code ip}, {@code iptables}, {@code kill}) and fails
 * loudly with the tool's own error text when one of them fails: a fault that was not injected must
 * never look like a fault that was.
 */
public final class Shell {

  private Shell() {}

  /** Runs {@code command}, waits for it and returns its standard output. */
  public static String run(String... command) {
    Result r = tryRun(command);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exitCode() + "): " + r.output().strip());
    }
    return r.output();
  }

  /** Runs {@code command} and returns its exit code and combined output, without judging them. */
  public static Result tryRun(String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within 30 s");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }

  /** A finished command. */
  public record Result(int exitCode, String output) {}
}
