package io.cairn.server.peer;

import io.cairn.server.config.ConfigException;
import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.MembersRequest;
import io.cairn.server.internal.RaftPeerGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.cairn.server.tls.Dialer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks running members for the cluster id and member list over the peer port, as a member
 * started with {@code --initial-cluster-state existing} and an empty data directory must (etcd
 * fetches {@code /members} from the peers named in {@code --initial-cluster}).
 */
public final class PeerMembersClient {
  private PeerMembersClient() {}

  /** The first answer among {@code peerUrls}, each asked in turn with {@code timeout}. */
  public static ClusterMembers fetch(List<URI> peerUrls, Duration timeout, Dialer dialer) {
    List<String> failures = new ArrayList<>();
    for (URI url : peerUrls) {
      ManagedChannel channel = dialer.channelTo(url).build();
      try {
        ClusterMembers members = RaftPeerGrpc.newBlockingStub(channel)
            .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .members(MembersRequest.getDefaultInstance());
        if (members.getClusterId() != 0 && members.getMembersCount() > 0) {
          return members;
        }
        failures.add(url + ": has no membership yet");
      } catch (StatusRuntimeException e) {
        failures.add(url + ": " + e.getStatus().getCode()
            + (e.getStatus().getDescription() == null ? "" : " " + e.getStatus().getDescription()));
      } finally {
        channel.shutdownNow();
      }
    }
    throw new ConfigException("--initial-cluster", "cannot get the cluster's member list from any other member "
        + "it names (" + String.join("; ", failures) + "); with --initial-cluster-state existing at least one "
        + "running member must be listed with its peer URL");
  }
}
