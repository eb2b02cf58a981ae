package io.cairn.jepsen.watch;

import java.util.Objects;

/**
 * One change to one key at one revision of the store: an acknowledged write as the client recorded it
 * (with the revision of its response header), or an entry of the store's final history.
 *
 * @param revision the store revision of the change
 * @param key the key (workload keys are ASCII, so String order is etcd's byte order)
 * @param type put or delete
 * @param value the value written (null for a delete)
 */
public record StoreEvent(long revision, String key, EventType type, String value) {

  public StoreEvent {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    if (revision < 1) {
      throw new IllegalArgumentException("store revisions start at 1, got " + revision + " for key " + key);
    }
    if (type == EventType.PUT && value == null) {
      throw new IllegalArgumentException("a put of " + key + " at revision " + revision + " needs a value");
    }
    if (type == EventType.DELETE && value != null) {
      throw new IllegalArgumentException("a delete of " + key + " at revision " + revision + " has no value");
    }
  }

  public static StoreEvent put(long revision, String key, String value) {
    return new StoreEvent(revision, key, EventType.PUT, value);
  }

  public static StoreEvent delete(long revision, String key) {
    return new StoreEvent(revision, key, EventType.DELETE, null);
  }
}
