package io.cairn.jepsen.nemesis;

/**
 * A fault as it happened: when it was injected and healed ({@link System#nanoTime()}).
 *
 * @param nemesis the nemesis's name
 * @param description what was done
 */
public record FaultInterval(String nemesis, String description, long startNanos, long endNanos) {}
