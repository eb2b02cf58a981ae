package io.cairn.storage.kv;

/**
 * Outcome of applying one raft entry: the response, or the marker that the entry's index was
 * already applied before (a replay after restart), in which case nothing happened and there is no
 * response to give.
 *
 * @param response the response; null exactly when {@code alreadyApplied}
 * @param alreadyApplied whether the index was at or below the store's applied index
 */
public record ApplyResult<T>(T response, boolean alreadyApplied) {
  public ApplyResult {
    if ((response == null) != alreadyApplied) {
      throw new IllegalArgumentException("a response exactly when the entry was applied now");
    }
  }

  static <T> ApplyResult<T> applied(T response) {
    return new ApplyResult<>(response, false);
  }

  static <T> ApplyResult<T> skipped() {
    return new ApplyResult<>(null, true);
  }
}
