package io.cairn.storage.mvcc;

/**
 * One point in the store's global history: the main revision of a write request and the sub
 * revision of one change inside it.
 *
 * <p>Every write request that changes something takes the next main revision; its changes are
 * numbered 0, 1, 2... as sub revisions. Clients only ever see main revisions (etcd's
 * create_revision / mod_revision); sub revisions order the changes of one request, for watch
 * replay and compaction.
 *
 * @param main the write request's revision, {@code >= 2} for stored changes (an empty store is at 1)
 * @param sub the change's position inside its request, {@code >= 0}
 */
public record Revision(long main, long sub) implements Comparable<Revision> {

  public Revision {
    if (main < 0 || sub < 0) {
      throw new IllegalArgumentException("revision parts must be >= 0: " + main + "." + sub);
    }
  }

  @Override
  public int compareTo(Revision other) {
    int byMain = Long.compare(main, other.main);
    return byMain != 0 ? byMain : Long.compare(sub, other.sub);
  }

  @Override
  public String toString() {
    return main + "." + sub;
  }
}
