package io.cairn.jepsen.history;

/**
 * The operation a client performed. {@link #READ}, {@link #WRITE} and {@link #CAS} act on one key of
 * the {@code register} workload; {@link #TXN} is a transaction of {@link MicroOp}s of the
 * {@code append} workload.
 */
public enum OpFunction {
  READ,
  WRITE,
  CAS,
  TXN
}
