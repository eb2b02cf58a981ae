package io.cairn.jepsen.nemesis;

import java.util.SplittableRandom;

/**
 * One kind of fault. The schedule calls {@link #inject} and, after holding the fault for a while,
 * {@link #heal}; at the end of a run {@link #heal} is called once more on every nemesis, so it must
 * be idempotent and undo anything the nemesis may have left behind.
 */
public interface Nemesis {

  /** The name used on the command line ({@code --nemesis partition,kill}). */
  String name();

  /**
   * Injects one fault chosen with {@code random}.
   *
   * @return what was done, for the verdict and the timeline (e.g. "isolate leader n2")
   */
  String inject(SplittableRandom random) throws InterruptedException;

  /** Ends the fault: the cluster is whole again as far as this nemesis is concerned. */
  void heal() throws InterruptedException;
}
