package io.cairn.server.auth;

import com.google.protobuf.ByteString;
import io.cairn.api.authpb.Permission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The key ranges one user may read or write, merged from all of its roles (etcd's
 * unifiedRangePermissions), and etcd's rules for checking a request's key or range against them.
 *
 * <p>Bounds compare as etcd's "affine" byte strings: an empty bound is past every key, so a range
 * end of {@code "\0"} (etcd's "from this key on") becomes an open end. A single key {@code k} is
 * the interval {@code [k, k+"\0")}. A range is permitted when the permitted intervals overlapping
 * it cover it without a gap; a single key when some permitted interval overlaps it.
 */
final class RangePermissions {
  private record Interval(byte[] begin, byte[] end) {}

  private static final Comparator<Interval> BY_BEGIN = (a, b) -> compare(a.begin, b.begin);

  private final List<Interval> read;
  private final List<Interval> write;

  private RangePermissions(List<Interval> read, List<Interval> write) {
    this.read = read;
    this.write = write;
  }

  static RangePermissions of(List<Permission> permissions) {
    List<Interval> read = new ArrayList<>();
    List<Interval> write = new ArrayList<>();
    for (Permission p : permissions) {
      byte[] key = p.getKey().toByteArray();
      ByteString end = p.getRangeEnd();
      Interval interval;
      if (end.isEmpty()) {
        interval = point(key);
      } else {
        interval = new Interval(key, isFromKey(end) ? new byte[0] : end.toByteArray());
      }
      switch (p.getPermType()) {
        case READ -> read.add(interval);
        case WRITE -> write.add(interval);
        case READWRITE -> {
          read.add(interval);
          write.add(interval);
        }
        default -> { } // an unknown type grants nothing
      }
    }
    read.sort(BY_BEGIN);
    write.sort(BY_BEGIN);
    return new RangePermissions(List.copyOf(read), List.copyOf(write));
  }

  boolean permits(ByteString key, ByteString rangeEnd, boolean forWrite) {
    List<Interval> granted = forWrite ? write : read;
    byte[] begin = key.toByteArray();
    if (rangeEnd.isEmpty()) {
      Interval p = point(begin);
      for (Interval g : granted) {
        if (overlaps(p, g)) {
          return true;
        }
      }
      return false;
    }
    Interval wanted = new Interval(begin, isFromKey(rangeEnd) ? new byte[0] : rangeEnd.toByteArray());
    return covers(granted, wanted);
  }

  /** etcd's IntervalTree.Contains: the overlapping intervals, in order, leave no gap over {@code wanted}. */
  private static boolean covers(List<Interval> granted, Interval wanted) {
    byte[] minBegin = null;
    byte[] maxEnd = null;
    for (Interval g : granted) {
      if (!overlaps(wanted, g)) {
        continue;
      }
      if (minBegin == null) {
        minBegin = g.begin;
        maxEnd = g.end;
        continue;
      }
      if (compare(maxEnd, g.begin) < 0) {
        return false;
      }
      if (compare(g.end, maxEnd) > 0) {
        maxEnd = g.end;
      }
    }
    return minBegin != null && compare(maxEnd, wanted.end) >= 0 && compare(minBegin, wanted.begin) <= 0;
  }

  /** etcd's Interval.Compare == 0: neither lies wholly left or right of the other. */
  private static boolean overlaps(Interval a, Interval b) {
    boolean left = compare(a.begin, b.begin) < 0 && compare(a.end, b.begin) <= 0;
    boolean right = compare(a.begin, b.end) >= 0;
    return !left && !right;
  }

  private static Interval point(byte[] key) {
    byte[] end = new byte[key.length + 1];
    System.arraycopy(key, 0, end, 0, key.length);
    return new Interval(key, end);
  }

  private static boolean isFromKey(ByteString end) {
    return end.size() == 1 && end.byteAt(0) == 0;
  }

  /** Unsigned byte order in which the empty string is past every other (etcd's BytesAffineComparable). */
  private static int compare(byte[] a, byte[] b) {
    if (a.length == 0) {
      return b.length == 0 ? 0 : 1;
    }
    if (b.length == 0) {
      return -1;
    }
    return java.util.Arrays.compareUnsigned(a, b);
  }
}
