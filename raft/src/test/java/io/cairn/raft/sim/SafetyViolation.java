package io.cairn.raft.sim;

/** A Raft safety or liveness property the simulator observed broken. */
final class SafetyViolation extends RuntimeException {
    SafetyViolation(String message) {
        super(message);
    }
}
