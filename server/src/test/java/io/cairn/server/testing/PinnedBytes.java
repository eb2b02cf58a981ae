package io.cairn.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects named encodings and their pinned hex, then checks them all at once: a format change then
 * shows every encoding it moved, not just the first, which tells a deliberate change (all of one
 * message kind) from an accident (everything).
 */
public final class PinnedBytes {
  private static final HexFormat HEX = HexFormat.of();

  private final Map<String, String> mismatches = new LinkedHashMap<>();

  /** Records {@code actual} against the pinned {@code expectedHex} under {@code name}. */
  public PinnedBytes expect(String name, String expectedHex, byte[] actual) {
    String actualHex = HEX.formatHex(actual);
    if (!actualHex.equals(expectedHex)) {
      mismatches.put(name, actualHex);
    }
    return this;
  }

  /** Fails listing every encoding that differs from its pinned bytes, with the bytes it has now. */
  public void check() {
    if (mismatches.isEmpty()) {
      return;
    }
    List<String> lines = new ArrayList<>();
    mismatches.forEach((name, hex) -> lines.add(name + " is now " + hex));
    fail("encodings differ from their pinned bytes:\n" + String.join("\n", lines));
  }

  public static byte[] parse(String hex) {
    return HEX.parseHex(hex);
  }
}
