package io.cairn.raft;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The membership of the group: voters decide elections and commits, learners only receive the log.
 * The sets are immutable and iterate in ascending id order, so every message the core sends is
 * deterministic for a given seed. A node is never both a voter and a learner.
 */
public record ConfState(Set<Long> voters, Set<Long> learners) {
    public static final ConfState EMPTY = new ConfState(Set.of(), Set.of());

    public ConfState {
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
        for (Long id : voters) {
            if (id == 0) {
                throw new IllegalArgumentException("voter ids must not be 0 (ids are unsigned 64-bit; 0 means none), got " + id);
            }
            if (learners.contains(id)) {
                throw new IllegalArgumentException("node " + id + " is both voter and learner");
            }
        }
        for (Long id : learners) {
            if (id == 0) {
                throw new IllegalArgumentException("learner ids must not be 0, got " + id);
            }
        }
    }

    /** A configuration of the given voters and no learners. */
    public static ConfState ofVoters(Long... ids) {
        return new ConfState(Set.copyOf(List.of(ids)), Set.of());
    }

    /** True when {@code id} is a voter or a learner. */
    public boolean contains(long id) {
        return voters.contains(id) || learners.contains(id);
    }
}
