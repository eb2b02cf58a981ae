package io.cairn.jepsen.lock;

import java.util.HashMap;
import java.util.Map;

/**
 * What a fenced write stores in the resource key: enough to name the write, its writer and the lock
 * it claimed, so the resource's history can be checked on its own.
 *
 * @param writeId unique per run
 * @param process the writer's process id
 * @param token the fencing token the write was guarded by (its lock key's create_revision)
 * @param lockKey the writer's lock key
 */
public record FencedValue(long writeId, int process, long token, String lockKey) {

  /** {@code write=<id> process=<p> token=<t> lock=<key>}. */
  public String render() {
    return "write=" + writeId + " process=" + process + " token=" + token + " lock=" + lockKey;
  }

  /**
   * Parses {@link #render()}'s form.
   *
   * @throws IllegalArgumentException when the text is not a fenced write's value
   */
  public static FencedValue parse(String text) {
    Map<String, String> fields = new HashMap<>();
    for (String part : text.split(" ")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("not a fenced write's value: \"" + text + "\"");
      }
      fields.put(part.substring(0, eq), part.substring(eq + 1));
    }
    try {
      String lock = fields.get("lock");
      if (lock == null || fields.size() != 4) {
        throw new IllegalArgumentException("not a fenced write's value: \"" + text + "\"");
      }
      return new FencedValue(Long.parseLong(fields.get("write")), Integer.parseInt(fields.get("process")),
          Long.parseLong(fields.get("token")), lock);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a fenced write's value: \"" + text + "\"", e);
    }
  }
}
