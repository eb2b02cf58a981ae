package io.cairn.jepsen.watch;

import java.util.Objects;

/**
 * One event as a watcher received it.
 *
 * @param response the index of the WatchResponse that carried it within the watcher's stream; etcd
 *     never splits one revision's events over two responses, and this is how the checker tells
 * @param revision the event's mod revision (the kv's mod_revision; the delete's revision for deletes)
 * @param key the key
 * @param type put or delete
 * @param value the value (null for a delete)
 * @param prevValue the prev_kv's value; null when the event carried no prev_kv (or the key did not
 *     exist before)
 */
public record ReceivedEvent(long response, long revision, String key, EventType type, String value, String prevValue) {

  public ReceivedEvent {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
  }

  /** Where this event sits in the store: its (revision, key) is unique, etcd refusing a key twice in one txn. */
  String position() {
    return revision + "/" + key;
  }
}
