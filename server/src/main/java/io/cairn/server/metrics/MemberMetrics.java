package io.cairn.server.metrics;

import io.cairn.server.member.Member;
import io.cairn.storage.mvcc.MvccStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The member's gauges, under etcd's metric names where etcd has one, so that existing dashboards
 * and alerts (has_leader, leader changes, db size, revision) keep working.
 */
public final class MemberMetrics {
  private MemberMetrics() {}

  public static void bind(MeterRegistry registry, Member member, MvccStore store) {
    Gauge.builder("etcd_server_has_leader", () -> member.status().hasLeader() ? 1 : 0)
        .description("Whether or not a leader exists. 1 is existence, 0 is not.").register(registry);
    Gauge.builder("etcd_server_is_leader", () -> member.status().isLeader() ? 1 : 0)
        .description("Whether or not this member is a leader. 1 if is, 0 otherwise.").register(registry);
    Gauge.builder("etcd_server_proposals_committed_total", () -> member.status().commitIndex())
        .description("The total number of consensus proposals committed.").register(registry);
    Gauge.builder("etcd_server_proposals_applied_total", () -> member.status().appliedIndex())
        .description("The total number of consensus proposals applied.").register(registry);
    Gauge.builder("etcd_server_term", () -> member.status().term())
        .description("The current raft term.").register(registry);
    Gauge.builder("etcd_mvcc_db_total_size_in_bytes", () -> store.size().dbSizeBytes())
        .description("Total size of the underlying database physically allocated in bytes.").register(registry);
    Gauge.builder("etcd_debugging_mvcc_current_revision", store::currentRevision)
        .description("The current revision of store.").register(registry);
    Gauge.builder("etcd_debugging_mvcc_compact_revision", store::compactedRevision)
        .description("The revision of the last compaction in store.").register(registry);
    // etcd has no counter of installed snapshots; a follower that keeps needing them lags badly.
    FunctionCounter.builder("cairn_server_snapshots_installed_total", member, Member::installedSnapshots)
        .description("Snapshots received from a leader and installed since this member started.").register(registry);
  }
}
