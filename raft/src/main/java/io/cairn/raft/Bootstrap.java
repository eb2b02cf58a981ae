package io.cairn.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The durable starting state of a brand-new cluster, as etcd writes it: the log begins with one
 * committed CONF_CHANGE entry per initial member (term 1, indexes 1..n), so a member that joins
 * later and replays the log from index 1 learns the full membership rather than only the changes
 * made after bootstrap.
 *
 * <p>Each initial member persists {@link #entries(ConfState)} and {@link #hardState(ConfState)}
 * (and reports {@code initial} as its ConfState) before its first {@link RaftNode#create}; its first
 * Ready then hands the entries out as committed, and the driver applies them like any other conf
 * change (they change nothing). {@link MemoryStorage#bootstrap(ConfState)} does all of this.
 */
public final class Bootstrap {
    /** Term of the bootstrap entries; the first election runs at term 2. */
    public static final long TERM = 1;

    private Bootstrap() {}

    public static List<Entry> entries(ConfState initial) {
        if (initial.voters().isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one initial voter");
        }
        List<Entry> out = new ArrayList<>();
        long index = 1;
        for (long id : initial.voters()) {
            out.add(new Entry(TERM, index++, EntryType.CONF_CHANGE, new ConfChange(ConfChangeType.ADD_NODE, id, null).encode()));
        }
        for (long id : initial.learners()) {
            out.add(new Entry(TERM, index++, EntryType.CONF_CHANGE,
                    new ConfChange(ConfChangeType.ADD_LEARNER_NODE, id, null).encode()));
        }
        return List.copyOf(out);
    }

    /** Term 1, no vote, commit covering the bootstrap entries. */
    public static HardState hardState(ConfState initial) {
        return new HardState(TERM, 0, initial.voters().size() + initial.learners().size());
    }
}
