package io.cairn.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.api.EtcdError;
import io.cairn.api.etcdserverpb.AuthGrpc;
import io.cairn.api.etcdserverpb.AuthenticateRequest;
import io.cairn.api.etcdserverpb.AuthenticateResponse;
import io.cairn.server.testing.ServerProcess;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 failed Authenticate calls (wrong passwords, unknown users) and garbage tokens: each gets
 * etcd's error, the member keeps serving the legitimate user, and its log stays short.
 */
class FailedAuthenticateFloodTest {
  private static final int CALLS = 10_000;
  private static final int IN_FLIGHT = 64;

  @TempDir Path dir;

  @Test
  void floodOfFailuresChangesNothingAndDoesNotFloodTheLog() throws Exception {
    try (ServerProcess cairn = ServerProcess.cairn(dir.resolve("cairn"), "--bcrypt-cost", "4").start(Duration.ofSeconds(60));
        AuthTestClient c = new AuthTestClient(cairn.endpoint())) {
      c.setUpRootAndAlice("rootpw", "alicepw");
      long linesBefore = Files.readAllLines(cairn.log()).size();

      Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
      Semaphore inFlight = new Semaphore(IN_FLIGHT);
      CountDownLatch done = new CountDownLatch(CALLS);
      AuthGrpc.AuthStub auth = AuthGrpc.newStub(c.channel());
      for (int i = 0; i < CALLS; i++) {
        inFlight.acquire();
        String user = i % 2 == 0 ? "alice" : "nobody-" + i;
        auth.withDeadlineAfter(60, TimeUnit.SECONDS).authenticate(
            AuthenticateRequest.newBuilder().setName(user).setPassword("guess-" + i).build(), new StreamObserver<>() {
              @Override
              public void onNext(AuthenticateResponse r) {
                outcomes.computeIfAbsent("OK", k -> new AtomicInteger()).incrementAndGet();
              }

              @Override
              public void onError(Throwable t) {
                Status s = Status.fromThrowable(t);
                outcomes.computeIfAbsent(s.getCode() + ": " + s.getDescription(), k -> new AtomicInteger())
                    .incrementAndGet();
                inFlight.release();
                done.countDown();
              }

              @Override
              public void onCompleted() {
                inFlight.release();
                done.countDown();
              }
            });
      }
      assertTrue(done.await(5, TimeUnit.MINUTES), "every call was answered");
      String failed = EtcdError.AUTH_FAILED.code() + ": " + EtcdError.AUTH_FAILED.message();
      assertEquals(Map.of(failed, CALLS), Map.copyOf(outcomes.entrySet().stream()
          .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))));
      for (int i = 0; i < 1_000; i++) {
        String token = "garbage-" + i;
        assertEquals("UNAUTHENTICATED: etcdserver: invalid auth token", AuthTestClient.outcome(() -> c.get(token, "app/x")));
      }

      assertTrue(cairn.isAlive());
      String alice = c.authenticate("alice", "alicepw");
      c.put(alice, "app/after", "1");
      assertEquals("1", c.get(alice, "app/after"));
      long added = Files.readAllLines(cairn.log()).size() - linesBefore;
      assertTrue(added < 50, "the log grew by " + added + " lines");
      String log = Files.readString(cairn.log());
      assertTrue(!log.contains("guess-") && !log.contains("alicepw") && !log.contains("garbage-"),
          "no password or token is logged");
    }
  }
}
