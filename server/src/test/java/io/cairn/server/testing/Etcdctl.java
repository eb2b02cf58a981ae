package io.cairn.server.testing;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code etcdctl} (API v3) against an endpoint list and captures its output. */
public final class Etcdctl {
  private final String endpoints;

  public Etcdctl(String endpoints) {
    this.endpoints = endpoints;
  }

  /** The result of one etcdctl run. */
  public record Result(int exitCode, String stdout, String stderr) {
    public String out() {
      if (exitCode != 0) {
        throw new AssertionError("etcdctl exited " + exitCode + ": " + stderr + stdout);
      }
      return stdout;
    }

    /** The output of a successful run with {@code -w json}, parsed. */
    public JsonElement json() {
      return JsonParser.parseString(out());
    }
  }

  public Result run(String... args) {
    return runWithInput("", args);
  }

  /** Runs etcdctl with {@code stdin} as its standard input (e.g. {@code txn}'s compares and requests). */
  public Result runWithInput(String stdin, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ExternalTools.etcdctl().toString());
    cmd.add("--endpoints=" + endpoints);
    cmd.add("--command-timeout=20s");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("ETCDCTL_API", "3");
    try {
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("etcdctl " + String.join(" ", args) + " did not finish");
      }
      return new Result(p.exitValue(), out, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
