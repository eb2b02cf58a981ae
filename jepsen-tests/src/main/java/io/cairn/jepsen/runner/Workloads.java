package io.cairn.jepsen.runner;

import io.cairn.jepsen.history.HistoryRecorder;
import io.cairn.jepsen.workload.AppendWorkload;
import io.cairn.jepsen.workload.LeaseWorkload;
import io.cairn.jepsen.workload.LockWorkload;
import io.cairn.jepsen.workload.RegisterWorkload;
import io.cairn.jepsen.workload.WatchWorkload;
import io.cairn.jepsen.workload.Workload;
import java.util.List;

/** The workloads by command-line name. */
public final class Workloads {

  public static final List<String> NAMES = List.of("register", "append", "watch", "lease", "lock");

  private Workloads() {}

  public static Workload create(String name, HistoryRecorder recorder) {
    return switch (name) {
      case "register" -> new RegisterWorkload(recorder);
      case "append" -> new AppendWorkload(recorder);
      case "watch" -> new WatchWorkload(recorder);
      case "lease" -> new LeaseWorkload(recorder);
      case "lock" -> new LockWorkload(recorder);
      default -> throw new IllegalArgumentException("unknown workload " + name + "; known: " + NAMES);
    };
  }
}
