package io.cairn.raft;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A point-in-time view of a node for Maintenance.Status and tests. {@code progress} is filled only
 * on the leader (empty map elsewhere) and iterates in ascending peer id order.
 */
public record Status(long id, long term, long vote, long commit, long applied, long leaderId, Role role,
                     long leadTransferee, ConfState confState, Map<Long, ProgressView> progress) {
    public Status {
        progress = Collections.unmodifiableSortedMap(new TreeMap<>(progress));
    }
}
