package io.cairn.server.peer;

/**
 * Failure injection on raft traffic between members, for in-process tests: decides per message
 * direction whether it is dropped (a partition) or delayed (a slow link). Production uses
 * {@link #NONE}. Applied where messages are received, so a partition is exactly "B never hears
 * A", whatever the sender does.
 */
public interface PeerFaults {
  PeerFaults NONE = new PeerFaults() {
    @Override
    public boolean drop(long from, long to) {
      return false;
    }

    @Override
    public long delayMillis(long from, long to) {
      return 0;
    }
  };

  boolean drop(long from, long to);

  long delayMillis(long from, long to);
}
