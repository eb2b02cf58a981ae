package io.cairn.jepsen.history;

/**
 * The operation a client performed. {@link #READ}, {@link #WRITE} and {@link #CAS} act on one key of
 * the {@code register} workload; {@link #TXN} is a transaction of {@link MicroOp}s of the
 * {@code append} workload; {@link #GRANT} is the {@code lease} workload's LeaseGrant for the lease
 * that will hold {@code key} (its {@code value}: the TTL granted, in seconds).
 */
public enum OpFunction {
  READ,
  WRITE,
  CAS,
  TXN,
  GRANT
}
