package io.cairn.jepsen.watch;

/**
 * One problem found, with where it is.
 *
 * @param type the kind of problem
 * @param watcher the watcher's id; null for problems of the store history itself
 * @param revision the revision involved
 * @param key the key involved
 * @param explanation what was expected and what was seen
 */
public record WatchAnomaly(WatchAnomalyType type, String watcher, long revision, String key, String explanation) {

  @Override
  public String toString() {
    return type + " " + (watcher == null ? "store" : "watcher " + watcher) + " @" + revision + " " + key + ": " + explanation;
  }
}
