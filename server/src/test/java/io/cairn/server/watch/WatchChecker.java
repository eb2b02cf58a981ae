package io.cairn.server.watch;

import io.cairn.api.etcdserverpb.WatchResponse;
import io.cairn.api.mvccpb.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what one watch received against the store's history: the etcd guarantees, stated
 * executable. Every response of the watch (created, events, progress, compaction) in arrival
 * order, possibly over several streams when the watch was resumed after its member stopped.
 */
final class WatchChecker {
  private WatchChecker() {}

  /** A watch as the client saw it: its spec, its start and each segment's responses. */
  record Observed(WatchSpec spec, long startRevision, List<List<WatchResponse>> segments) {}

  /**
   * @param history every event from revision 2 to {@code finalRevision}, in order
   * @return the problems found (empty when the stream is correct)
   */
  static List<String> check(Observed watch, List<Event> history, long finalRevision, java.util.Set<Long> compactions) {
    List<String> problems = new ArrayList<>();
    Map<Long, List<Event>> byRevision = new HashMap<>();
    // At a compaction revision itself, read after that compaction, an event may have no readable
    // previous version (it then comes without prev_kv) and a delete's tombstone is gone (the delete
    // is not delivered at all): both exactly as etcd, whose compaction drops the same. Neither is
    // checked at those revisions.
    List<Event> model = new ArrayList<>(history.size());
    for (Event e : history) {
      Event n = atCompaction(e, compactions);
      if (n != null) {
        model.add(n);
      }
    }
    history = model;
    for (Event e : history) {
      if (watch.spec().matches(e)) {
        byRevision.computeIfAbsent(e.getKv().getModRevision(), r -> new ArrayList<>())
            .add(watch.spec().prevKv() ? e : e.toBuilder().clearPrevKv().build());
      }
    }
    long next = -1; // next revision the watch must deliver from; -1 until known
    List<Event> received = new ArrayList<>();
    boolean compacted = false;
    for (int s = 0; s < watch.segments().size() && !compacted; s++) {
      List<WatchResponse> segment = watch.segments().get(s);
      if (segment.isEmpty()) {
        continue; // the stream broke before the created response: nothing happened
      }
      WatchResponse created = segment.get(0);
      if (!created.getCreated() || created.getCanceled()) {
        problems.add("segment " + s + " does not start with a created response: " + created);
        return problems;
      }
      if (next < 0) {
        next = watch.startRevision() > 0 ? watch.startRevision() : created.getHeader().getRevision() + 1;
      }
      Map<Long, Boolean> revisionsSeen = new HashMap<>();
      for (WatchResponse r : segment.subList(1, segment.size())) {
        if (r.getCompactRevision() != 0) {
          if (!r.getCanceled()) {
            problems.add("compaction response not canceled: " + r);
          }
          if (r.getCompactRevision() <= next) {
            problems.add("canceled for compaction at " + r.getCompactRevision() + " but revision " + next
                + " (next to deliver) was not compacted");
          }
          compacted = true;
          break;
        }
        if (r.getCanceled()) {
          problems.add("unexpected cancel: " + r);
          break;
        }
        if (r.getEventsCount() == 0) {
          continue; // progress
        }
        long maxRev = 0;
        java.util.Set<Long> revisions = new java.util.TreeSet<>();
        for (Event e : r.getEventsList()) {
          maxRev = Math.max(maxRev, e.getKv().getModRevision());
          revisions.add(e.getKv().getModRevision());
        }
        for (long rev : revisions) {
          if (revisionsSeen.put(rev, Boolean.TRUE) != null) {
            problems.add("revision " + rev + " split over responses");
          }
        }
        if (r.getHeader().getRevision() < maxRev) {
          problems.add("header revision " + r.getHeader().getRevision() + " below an event's revision " + maxRev);
        }
        // Atomic: each revision in a response carries all of that revision's events for this watch.
        Map<Long, List<Event>> inResponse = new HashMap<>();
        for (Event raw : r.getEventsList()) {
          Event e = atCompaction(raw, compactions);
          if (e == null) {
            continue;
          }
          inResponse.computeIfAbsent(e.getKv().getModRevision(), x -> new ArrayList<>()).add(e);
        }
        for (Map.Entry<Long, List<Event>> rev : inResponse.entrySet()) {
          if (!rev.getValue().equals(byRevision.get(rev.getKey()))) {
            problems.add("revision " + rev.getKey() + " not delivered whole or not as in the history: got "
                + rev.getValue().size() + " event(s), history has " + byRevision.getOrDefault(rev.getKey(), List.of()).size());
          }
        }
        for (Event e : r.getEventsList()) {
          Event n = atCompaction(e, compactions);
          if (n != null) {
            received.add(n);
          }
        }
      }
      // Resume point for the next segment: after the last revision received.
      if (!received.isEmpty()) {
        next = Math.max(next, received.get(received.size() - 1).getKv().getModRevision() + 1);
      }
    }
    if (next < 0) {
      problems.add("never created");
      return problems;
    }
    long from = watch.startRevision() > 0 ? watch.startRevision() : firstStart(watch);
    List<Event> expected = watch.spec().expected(history, from, finalRevision);
    if (compacted) {
      // Only a gap-free prefix is owed before the cancel.
      if (received.size() > expected.size() || !expected.subList(0, received.size()).equals(received)) {
        problems.add("before its compaction cancel the watch got " + describe(received) + " but the history says "
            + describe(expected.subList(0, Math.min(expected.size(), received.size()))));
      }
      return problems;
    }
    if (!expected.equals(received)) {
      problems.add("events differ from the history: " + firstDifference(expected, received));
    }
    return problems;
  }

  /** The event as compared at a compaction revision: without prev_kv, and null for a delete. */
  private static Event atCompaction(Event e, java.util.Set<Long> compactions) {
    if (!compactions.contains(e.getKv().getModRevision())) {
      return e;
    }
    return e.getType() == Event.EventType.DELETE ? null : e.toBuilder().clearPrevKv().build();
  }

  private static long firstStart(Observed watch) {
    for (List<WatchResponse> segment : watch.segments()) {
      if (!segment.isEmpty()) {
        return segment.get(0).getHeader().getRevision() + 1;
      }
    }
    return Long.MAX_VALUE;
  }

  private static String firstDifference(List<Event> expected, List<Event> received) {
    int n = Math.min(expected.size(), received.size());
    for (int i = 0; i < n; i++) {
      if (!expected.get(i).equals(received.get(i))) {
        return "at #" + i + " expected " + oneLine(expected.get(i)) + " got " + oneLine(received.get(i));
      }
    }
    return expected.size() > n ? "missing from #" + n + ": " + oneLine(expected.get(n)) + " (" + (expected.size() - n) + " missing)"
        : "extra from #" + n + ": " + oneLine(received.get(n));
  }

  private static String describe(List<Event> events) {
    return events.size() + " event(s)" + (events.isEmpty() ? "" : " ending " + oneLine(events.get(events.size() - 1)));
  }

  private static String oneLine(Event e) {
    return e.getType() + " " + e.getKv().getKey().toStringUtf8() + "@" + e.getKv().getModRevision()
        + (e.hasPrevKv() ? " prev@" + e.getPrevKv().getModRevision() : "");
  }
}
