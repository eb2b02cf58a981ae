package io.cairn.raft;

/** Volatile state the driver may want to observe (not persisted): known leader (0 = none) and own role. */
public record SoftState(long leaderId, Role role) {}
