package io.cairn.jepsen.watch;

/** What a revision did to one key, as etcd's mvccpb.Event.EventType says it. */
public enum EventType {
  PUT,
  DELETE
}
