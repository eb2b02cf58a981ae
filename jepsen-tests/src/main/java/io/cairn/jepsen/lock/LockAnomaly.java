package io.cairn.jepsen.lock;

/**
 * One anomaly with its smallest concrete explanation (writer, token, revision).
 *
 * @param type what kind
 * @param explanation what happened, naming the operations and revisions involved
 */
public record LockAnomaly(LockAnomalyType type, String explanation) {

  @Override
  public String toString() {
    return type + ": " + explanation;
  }
}
