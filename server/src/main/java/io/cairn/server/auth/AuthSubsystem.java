package io.cairn.server.auth;

import com.google.protobuf.ByteString;
import io.cairn.server.config.AuthSettings;
import io.cairn.server.grpc.HeaderFactory;
import io.cairn.server.lease.Lessor;
import io.cairn.server.member.Member;
import io.cairn.storage.mvcc.MvccStore;
import io.grpc.BindableService;
import io.grpc.ServerInterceptor;
import java.util.List;

/**
 * etcd's authentication and authorization, assembled: the replicated {@link AuthStore} the state
 * machine applies to, the token provider {@code --auth-token} names, the {@link AuthGuard} in
 * front of every client service and the Auth gRPC service.
 */
public final class AuthSubsystem implements AutoCloseable {
  /** Threads hashing and checking passwords (bcrypt is slow on purpose). */
  private static final int BCRYPT_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  private final AuthStore store;
  private final Passwords passwords;
  private final AuthGuard guard;

  private AuthSubsystem(AuthStore store, Passwords passwords) {
    this.store = store;
    this.passwords = passwords;
    this.guard = new AuthGuard(store);
  }

  /** Reads the auth state from {@code store}; {@code lessor} tells the keys attached to a lease. */
  public static AuthSubsystem open(AuthSettings settings, MvccStore store, Lessor lessor) {
    TokenProvider tokens = settings.tokenType().equals(AuthSettings.JWT)
        ? JwtTokens.from(settings.tokenOptions())
        : new SimpleTokens(settings.simpleTokenTtl().toNanos(), System::nanoTime);
    RequestPermissions permissions = new RequestPermissions(id -> leaseKeys(lessor, id));
    return new AuthSubsystem(new AuthStore(store, tokens, permissions),
        new Passwords(settings.bcryptCost(), BCRYPT_THREADS));
  }

  private static List<ByteString> leaseKeys(Lessor lessor, long id) {
    Lessor.TimeToLive lease = lessor.timeToLive(id, true);
    return lease == null ? List.of() : lease.keys();
  }

  /** What the state machine applies auth entries to and checks writes against. */
  public AuthStore store() {
    return store;
  }

  /** The interceptor to put in front of every client service. */
  public ServerInterceptor guard() {
    return guard;
  }

  public BindableService service(Member member, HeaderFactory headers) {
    return new AuthService(member, store, passwords, headers);
  }

  @Override
  public void close() {
    passwords.close();
  }
}
