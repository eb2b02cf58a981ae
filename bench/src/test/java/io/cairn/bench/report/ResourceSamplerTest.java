package io.cairn.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ResourceSamplerTest {
  @Test
  void statParsingSurvivesCommandNamesWithSpacesAndParentheses() {
    SplittableRandom random = new SplittableRandom(8);
    for (int i = 0; i < 100; i++) {
      long utime = random.nextLong(1L << 40);
      long stime = random.nextLong(1L << 40);
      StringBuilder line = new StringBuilder("4242 (java (x) ) y) S");
      // Fields 4..52; field 14 is utime and 15 is stime.
      for (int field = 4; field <= 52; field++) {
        long value = field == 14 ? utime : field == 15 ? stime : random.nextLong(1_000_000);
        line.append(' ').append(value);
      }
      assertEquals(utime + stime, ResourceSampler.cpuTicksOfStat(line.append('\n').toString()));
    }
  }

  @Test
  void samplesThisProcess() throws Exception {
    Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/status")), "needs Linux /proc");
    long pid = ProcessHandle.current().pid();
    long rss = ResourceSampler.rssBytes(pid);
    // Cross-check VmRSS with statm's resident page count (same kernel counter, other file).
    String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
    long statmRss = Long.parseLong(statm[1]) * 4096;
    assertTrue(Math.abs(rss - statmRss) < statmRss / 10, "VmRSS " + rss + " vs statm " + statmRss);

    ResourceSampler sampler = new ResourceSampler(List.of(pid, pid));
    ResourceUsage usage = sampler.finish();
    assertEquals(2, usage.processes());
    assertTrue(usage.peakRssBytes() >= 2 * rss * 9 / 10, "two copies of this process are summed");
    assertTrue(usage.cpuSeconds() >= 0);
  }

  @Test
  void missingProcessIsReportedByPid() {
    long noSuchPid = Long.MAX_VALUE;
    Exception e = assertThrows(RuntimeException.class, () -> ResourceSampler.rssBytes(noSuchPid));
    assertTrue(e.getMessage().contains("/proc/" + noSuchPid), e.getMessage());
  }
}
