package io.cairn.bench.report;

/**
 * Server resources sampled during a run, summed over every sampled process (all members of a
 * cluster): the peak of the summed resident set size, and the CPU time they consumed.
 */
public record ResourceUsage(int processes, long peakRssBytes, double cpuSeconds, double cpuCores) {

  public double peakRssMiB() {
    return peakRssBytes / (1024.0 * 1024.0);
  }
}
