package io.cairn.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Bad options are refused with exit code 2 and a message naming the problem, before anything
 * connects (the endpoint given is a closed port, so a command that connected would fail
 * differently).
 */
class ArgumentValidationTest {
  private static final String NOWHERE = "--endpoints=127.0.0.1:1";

  private record Outcome(int exitCode, String err) {}

  private static Outcome run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    int code = cli.execute(args);
    return new Outcome(code, err.toString());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "put --clients 0                              | --clients must be at least 1, got 0",
      "put --conns -3                               | --conns must be at least 1, got -3",
      "put --total 0                                | --total must be positive, got 0",
      "put --total 10 --duration 5s                 | mutually exclusive",
      "put --duration 0s                            | --duration must be positive",
      "put --duration 5x                            | is not a duration",
      "put --rate -1                                | --rate must be 0 (unlimited) or positive",
      "put --timeout 0ms                            | --timeout must be positive",
      "put --key-size 2 --key-space-size 1000       | --key-size 2 cannot hold --key-space-size 1000",
      "put --key-size 19                            | --key-size must be within 1..18 digits",
      "put --val-size -1                            | --val-size must be at least 0, got -1",
      "watch --val-size 4                           | --val-size must be at least 8, got 4",
      "watch --watchers 0                           | --watchers must be at least 1, got 0",
      "range --consistency x                        | --consistency must be l or s, got 'x'",
      "range --limit -1                             | --limit must not be negative, got -1",
      "lease-keepalive --ttl 0                      | --ttl must be at least 1 second, got 0",
      "kube --page-size 0                           | --page-size must be at least 1, got 0",
      "kube --objects 0                             | --objects must be within 1..100000000",
      "put --sample-pids 0                          | --sample-pids must be process ids, got 0",
  })
  void invalidOptionsAreRefused(String args, String expectedMessage) {
    String[] split = (args.trim() + " " + NOWHERE).split("\\s+");
    Outcome outcome = run(split);
    assertEquals(2, outcome.exitCode(), outcome.err());
    assertTrue(outcome.err().contains(expectedMessage),
        "expected '" + expectedMessage + "' in:\n" + outcome.err());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://127.0.0.1:2379     | only http:// (plaintext) endpoints are supported",
      "127.0.0.1                  | expected host:port",
      "127.0.0.1:99999            | endpoint port out of range: 99999",
      "' , '                      | no endpoint given",
  })
  void invalidEndpointsAreRefused(String endpoints, String expectedMessage) {
    Outcome outcome = run("put", "--endpoints", endpoints.trim());
    assertEquals(2, outcome.exitCode(), outcome.err());
    assertTrue(outcome.err().contains(expectedMessage),
        "expected '" + expectedMessage + "' in:\n" + outcome.err());
  }

  @Test
  void durationsAcceptEtcdStyleAndIso() {
    DurationConverter c = new DurationConverter();
    assertEquals(Duration.ofMillis(500), c.convert("500ms"));
    assertEquals(Duration.ofMillis(1500), c.convert("1.5s"));
    assertEquals(Duration.ofMinutes(2), c.convert("2m"));
    assertEquals(Duration.ofHours(1), c.convert("1h"));
    assertEquals(Duration.ofSeconds(10), c.convert("PT10S"));
  }
}
