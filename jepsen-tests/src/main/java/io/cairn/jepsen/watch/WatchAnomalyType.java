package io.cairn.jepsen.watch;

/** What can be wrong with a watch stream, or with the store's history itself. */
public enum WatchAnomalyType {
  /** An event with a lower revision than one received before it (or a revision's events reordered). */
  OUT_OF_ORDER,
  /** The same (revision, key) received twice. */
  DUPLICATE,
  /** A change in the watched keys and revisions that the watcher never received. */
  GAP,
  /** One revision's events spread over more than one WatchResponse. */
  SPLIT_REVISION,
  /** A prev_kv that is not the key's value just before the event (or one present when not asked for). */
  WRONG_PREV_KV,
  /** An event the store never had, or whose type or value differs from the store's. */
  PHANTOM,
  /** An event outside the watched keys or before the start revision. */
  UNWATCHED,
  /** An acknowledged write that the store's history does not contain at its revision. */
  LOST_WRITE
}
