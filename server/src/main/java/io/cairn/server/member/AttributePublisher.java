package io.cairn.server.member;

import io.cairn.server.internal.ClusterMembers;
import io.cairn.server.internal.LogRequest;
import io.cairn.server.internal.MemberAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this member's name and client URLs to the cluster through the raft log, as etcd does
 * after start: peers learn them only this way (the initial cluster flag names peer URLs only).
 * Retries until the attributes are applied or the member stops; does nothing when the applied
 * membership already holds the same attributes.
 */
public final class AttributePublisher {
  private static final Logger LOG = LoggerFactory.getLogger(AttributePublisher.class);
  private static final Duration RETRY = Duration.ofMillis(500);

  private final Member member;
  private final Supplier<ClusterMembers> members;
  private final String name;
  private final List<String> clientUrls;
  private volatile boolean stopped;

  public AttributePublisher(Member member, Supplier<ClusterMembers> members, String name, List<String> clientUrls) {
    this.member = member;
    this.members = members;
    this.name = name;
    this.clientUrls = List.copyOf(clientUrls);
  }

  public void start() {
    attempt();
  }

  public void stop() {
    stopped = true;
  }

  private void attempt() {
    if (stopped || published()) {
      return;
    }
    MemberAttributes self = MemberAttributes.newBuilder()
        .setId(member.memberId()).setName(name).addAllClientUrls(clientUrls).build();
    member.propose(LogRequest.newBuilder().setMemberAttributes(self)).whenComplete((ok, error) -> {
      if (error == null) {
        LOG.info("published member {} attributes: name={} clientURLs={}", Long.toHexString(member.memberId()),
            name, clientUrls);
        return;
      }
      Executor later = CompletableFuture.delayedExecutor(RETRY.toMillis(), TimeUnit.MILLISECONDS);
      CompletableFuture.runAsync(this::attempt, later);
    });
  }

  private boolean published() {
    for (MemberAttributes m : members.get().getMembersList()) {
      if (m.getId() == member.memberId()) {
        return m.getName().equals(name) && m.getClientUrlsList().equals(clientUrls);
      }
    }
    return false;
  }
}
