package io.cairn.raft;

import java.util.ArrayList;
import java.util.List;

/** Size arithmetic over entry lists shared by the log and the storage. */
final class EntryLists {
    private EntryLists() {}

    /**
     * The longest prefix whose total {@link Entry#sizeBytes()} stays within {@code maxBytes}, but
     * never less than one entry. Returns an immutable copy.
     */
    static List<Entry> limitSize(List<Entry> entries, long maxBytes) {
        if (entries.isEmpty()) {
            return List.of();
        }
        long size = entries.get(0).sizeBytes();
        int n = 1;
        while (n < entries.size()) {
            size += entries.get(n).sizeBytes();
            if (size > maxBytes) {
                break;
            }
            n++;
        }
        return List.copyOf(entries.subList(0, n));
    }

    static long payloadBytes(List<Entry> entries) {
        long total = 0;
        for (Entry e : entries) {
            total += e.payloadBytes();
        }
        return total;
    }

    static long sizeBytes(List<Entry> entries) {
        long total = 0;
        for (Entry e : entries) {
            total += e.sizeBytes();
        }
        return total;
    }

    static List<Entry> concat(List<Entry> a, List<Entry> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        List<Entry> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }
}
