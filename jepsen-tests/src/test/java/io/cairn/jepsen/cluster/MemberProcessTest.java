package io.cairn.jepsen.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bookkeeping of expected and unexpected exits, with plain {@code sh} processes instead of
 * members in namespaces.
 */
class MemberProcessTest {

  @TempDir
  Path dir;

  /** A script that exits with {@code code} once the test creates {@code trigger} (never before). */
  private static String exitOn(Path trigger, int code) {
    return "while [ ! -e " + trigger + " ]; do sleep 0.05; done; exit " + code;
  }

  private MemberProcess process(String script) {
    return new MemberProcess(MemberSpec.of(2), List.of(), List.of("sh", "-c", script), Map.of(), dir.resolve("n2.log"));
  }

  @Test
  void anExitByItselfIsACrashEvenAfterARestart() {
    MemberProcess p = process("exit 3");
    p.start();
    assertTrue(p.waitForExit(10_000));
    assertEquals(3, p.exitCode());
    assertEquals(List.of("exit code 3 (still down)"), p.unexpectedExits());
    p.start();
    assertTrue(p.waitForExit(10_000));
    assertEquals(2, p.unexpectedExits().size(), p.unexpectedExits().toString());
  }

  @Test
  void theExitOfARemovedMemberIsExpectedAndItRestartsWithItsNewFlags() throws Exception {
    Path removed = dir.resolve("removed");
    MemberProcess p = process(exitOn(removed, 0));
    p.start();
    p.expectRemoval();
    Files.writeString(removed, "");
    assertEquals("exited by itself with code 0", p.awaitRemovedExit(10_000));
    assertNull(p.exitCode());
    p.start(); // out of the cluster: a kill nemesis's heal must not start it with its old flags
    assertFalse(p.isRunning());
    assertEquals(List.of("removed from the cluster by the member nemesis and not added back"), p.unexpectedExits());

    p.rejoin(List.of("sh", "-c", "echo rejoined; exec sleep 30"));
    assertTrue(p.isRunning());
    assertEquals(List.of(), p.unexpectedExits());
    p.kill();
    p.start();
    assertEquals(List.of("sh", "-c", "echo rejoined; exec sleep 30"), p.command());
    p.stop();
    String log = Files.readString(dir.resolve("n2.log"));
    assertEquals(2, log.lines().filter(l -> l.startsWith("=== start") && l.endsWith("echo rejoined; exec sleep 30")).count(), log);
    assertEquals(List.of(), p.unexpectedExits());
  }

  @Test
  void aRemovedMemberThatKeepsRunningIsStopped() {
    MemberProcess p = process("exec sleep 30");
    p.start();
    p.expectRemoval();
    Thread.currentThread().interrupt(); // the end of the run interrupts the nemesis: the wait still holds
    assertEquals("still running after 200 ms, stopped", p.awaitRemovedExit(200));
    assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    assertFalse(p.isRunning());
    assertThrows(IllegalStateException.class, () -> process("exit 0").rejoin(List.of("true")));
  }

  @Test
  void anExitDuringARemovalThatWasRefusedIsACrash() throws Exception {
    Path trigger = dir.resolve("exit-now");
    MemberProcess p = process(exitOn(trigger, 5));
    p.start();
    p.expectRemoval();
    Files.writeString(trigger, "");
    assertTrue(p.waitForExit(10_000));
    assertNull(p.exitCode()); // while the removal may be happening the exit is expected
    p.removalRefused();
    assertEquals(5, p.exitCode());
    assertEquals(List.of("exit code 5 (still down)"), p.unexpectedExits());
  }
}
