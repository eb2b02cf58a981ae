package io.cairn.server.auth;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.cairn.api.EtcdError;
import io.cairn.api.authpb.Permission;
import io.cairn.api.authpb.Role;
import io.cairn.api.authpb.User;
import io.cairn.api.authpb.UserAddOptions;
import io.cairn.api.etcdserverpb.AuthDisableResponse;
import io.cairn.api.etcdserverpb.AuthEnableResponse;
import io.cairn.api.etcdserverpb.AuthRoleAddResponse;
import io.cairn.api.etcdserverpb.AuthRoleDeleteResponse;
import io.cairn.api.etcdserverpb.AuthRoleGetResponse;
import io.cairn.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.cairn.api.etcdserverpb.AuthRoleGrantPermissionResponse;
import io.cairn.api.etcdserverpb.AuthRoleListResponse;
import io.cairn.api.etcdserverpb.AuthRoleRevokePermissionRequest;
import io.cairn.api.etcdserverpb.AuthRoleRevokePermissionResponse;
import io.cairn.api.etcdserverpb.AuthUserAddRequest;
import io.cairn.api.etcdserverpb.AuthUserAddResponse;
import io.cairn.api.etcdserverpb.AuthUserChangePasswordResponse;
import io.cairn.api.etcdserverpb.AuthUserDeleteResponse;
import io.cairn.api.etcdserverpb.AuthUserGetResponse;
import io.cairn.api.etcdserverpb.AuthUserGrantRoleResponse;
import io.cairn.api.etcdserverpb.AuthUserListResponse;
import io.cairn.api.etcdserverpb.AuthUserRevokeRoleResponse;
import io.cairn.api.etcdserverpb.AuthenticateResponse;
import io.cairn.server.internal.AuthStoreState;
import io.cairn.server.internal.AuthenticateEntry;
import io.cairn.server.internal.LogRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * What each auth entry does to the auth state: etcd's authStore methods and the admin checks of
 * its authApplierV3, as pure functions of the state before, the requester and the request. A
 * refusal throws etcd's error; nothing here writes.
 */
final class AuthChanges {
  private static final Runnable NOTHING = () -> { };

  /** The state after the entry (null: unchanged), the client's answer, and in-memory follow-ups. */
  record Outcome(AuthStoreState next, Message response, Runnable afterCommit) {
    static Outcome unchanged(Message response) {
      return new Outcome(null, response, NOTHING);
    }
  }

  Outcome apply(AuthSnapshot auth, AuthInfo who, LogRequest request, long index, TokenProvider tokens) {
    return switch (request.getRequestCase()) {
      case AUTH_ENABLE -> enable(auth, who, tokens);
      case AUTH_DISABLE -> disable(auth, who, tokens);
      case AUTHENTICATE -> authenticate(auth, request.getAuthenticate(), index, tokens);
      case AUTH_USER_ADD -> admin(auth, who, () -> userAdd(auth, request.getAuthUserAdd()));
      case AUTH_USER_DELETE -> admin(auth, who, () -> userDelete(auth, request.getAuthUserDelete().getName(), tokens));
      case AUTH_USER_CHANGE_PASSWORD -> admin(auth, who, () -> changePassword(auth,
          request.getAuthUserChangePassword().getName(), request.getAuthUserChangePassword().getHashedPassword(), tokens));
      case AUTH_USER_GRANT_ROLE -> admin(auth, who, () -> grantRole(auth,
          request.getAuthUserGrantRole().getUser(), request.getAuthUserGrantRole().getRole()));
      case AUTH_USER_REVOKE_ROLE -> admin(auth, who, () -> revokeRole(auth,
          request.getAuthUserRevokeRole().getName(), request.getAuthUserRevokeRole().getRole()));
      case AUTH_USER_GET -> userGet(auth, who, request.getAuthUserGet().getName());
      case AUTH_USER_LIST -> admin(auth, who, () -> Outcome.unchanged(
          AuthUserListResponse.newBuilder().addAllUsers(auth.userNames()).build()));
      case AUTH_ROLE_ADD -> admin(auth, who, () -> roleAdd(auth, request.getAuthRoleAdd().getName()));
      case AUTH_ROLE_DELETE -> admin(auth, who, () -> roleDelete(auth, request.getAuthRoleDelete().getRole()));
      case AUTH_ROLE_GRANT_PERMISSION -> admin(auth, who, () -> grantPermission(auth, request.getAuthRoleGrantPermission()));
      case AUTH_ROLE_REVOKE_PERMISSION -> admin(auth, who, () -> revokePermission(auth, request.getAuthRoleRevokePermission()));
      case AUTH_ROLE_GET -> roleGet(auth, who, request.getAuthRoleGet().getRole());
      case AUTH_ROLE_LIST -> admin(auth, who, () -> Outcome.unchanged(
          AuthRoleListResponse.newBuilder().addAllRoles(auth.roleNames()).build()));
      default -> throw new IllegalArgumentException("not an auth entry: " + request.getRequestCase());
    };
  }

  private static Outcome admin(AuthSnapshot auth, AuthInfo who, java.util.function.Supplier<Outcome> change) {
    auth.checkAdmin(who);
    return change.get();
  }

  private static AuthStoreState.Builder bumped(AuthSnapshot auth) {
    return auth.state().toBuilder().setRevision(auth.revision() + 1);
  }

  private static Outcome enable(AuthSnapshot auth, AuthInfo who, TokenProvider tokens) {
    auth.checkAdmin(who);
    AuthEnableResponse ok = AuthEnableResponse.getDefaultInstance();
    if (auth.enabled()) {
      return Outcome.unchanged(ok);
    }
    User root = auth.user(AuthSnapshot.ROOT);
    if (root == null) {
      throw EtcdError.ROOT_USER_NOT_EXIST.exception();
    }
    if (!AuthSnapshot.hasRootRole(root)) {
      throw EtcdError.ROOT_ROLE_NOT_EXIST.exception();
    }
    // As etcd, enabling does not move the revision.
    return new Outcome(auth.state().toBuilder().setEnabled(true).build(), ok, tokens::enable);
  }

  private static Outcome disable(AuthSnapshot auth, AuthInfo who, TokenProvider tokens) {
    auth.checkAdmin(who);
    AuthDisableResponse ok = AuthDisableResponse.getDefaultInstance();
    if (!auth.enabled()) {
      return Outcome.unchanged(ok);
    }
    return new Outcome(bumped(auth).setEnabled(false).build(), ok, tokens::disable);
  }

  private static Outcome authenticate(AuthSnapshot auth, AuthenticateEntry entry, long index, TokenProvider tokens) {
    if (!auth.enabled()) {
      throw EtcdError.AUTH_NOT_ENABLED.exception();
    }
    User user = auth.user(entry.getName());
    if (user == null || user.getOptions().getNoPassword()) {
      throw EtcdError.AUTH_FAILED.exception();
    }
    String token = tokens.assign(entry.getName(), auth.revision(), entry.getSimpleTokenPrefix(), index);
    return Outcome.unchanged(AuthenticateResponse.newBuilder().setToken(token).build());
  }

  private static Outcome userAdd(AuthSnapshot auth, AuthUserAddRequest r) {
    if (r.getName().isEmpty()) {
      throw EtcdError.USER_EMPTY.exception();
    }
    if (auth.user(r.getName()) != null) {
      throw EtcdError.USER_ALREADY_EXIST.exception();
    }
    boolean noPassword = r.getOptions().getNoPassword();
    User user = User.newBuilder()
        .setName(AuthStore.utf8(r.getName()))
        .setPassword(noPassword ? ByteString.EMPTY : AuthStore.utf8(r.getHashedPassword()))
        .setOptions(UserAddOptions.newBuilder().setNoPassword(noPassword))
        .build();
    return new Outcome(withUser(bumped(auth), auth, user).build(), AuthUserAddResponse.getDefaultInstance(), NOTHING);
  }

  private static Outcome userDelete(AuthSnapshot auth, String name, TokenProvider tokens) {
    if (auth.enabled() && name.equals(AuthSnapshot.ROOT)) {
      throw EtcdError.INVALID_AUTH_MGMT.exception();
    }
    if (auth.user(name) == null) {
      throw EtcdError.USER_NOT_FOUND.exception();
    }
    AuthStoreState.Builder next = bumped(auth).clearUsers();
    auth.state().getUsersList().stream().filter(u -> !u.getName().toStringUtf8().equals(name)).forEach(next::addUsers);
    return new Outcome(next.build(), AuthUserDeleteResponse.getDefaultInstance(), () -> tokens.invalidateUser(name));
  }

  private static Outcome changePassword(AuthSnapshot auth, String name, String hash, TokenProvider tokens) {
    User user = auth.user(name);
    if (user == null) {
      throw EtcdError.USER_NOT_FOUND.exception();
    }
    User changed = user.toBuilder().setPassword(AuthStore.utf8(hash)).build();
    return new Outcome(withUser(bumped(auth), auth, changed).build(),
        AuthUserChangePasswordResponse.getDefaultInstance(), () -> tokens.invalidateUser(name));
  }

  private static Outcome grantRole(AuthSnapshot auth, String name, String role) {
    User user = auth.user(name);
    if (user == null) {
      throw EtcdError.USER_NOT_FOUND.exception();
    }
    if (!role.equals(AuthSnapshot.ROOT) && auth.role(role) == null) {
      throw EtcdError.ROLE_NOT_FOUND.exception();
    }
    AuthUserGrantRoleResponse ok = AuthUserGrantRoleResponse.getDefaultInstance();
    if (user.getRolesList().contains(role)) {
      return Outcome.unchanged(ok);
    }
    List<String> roles = new ArrayList<>(user.getRolesList());
    roles.add(role);
    roles.sort(null);
    User changed = user.toBuilder().clearRoles().addAllRoles(roles).build();
    return new Outcome(withUser(bumped(auth), auth, changed).build(), ok, NOTHING);
  }

  private static Outcome revokeRole(AuthSnapshot auth, String name, String role) {
    if (auth.enabled() && name.equals(AuthSnapshot.ROOT) && role.equals(AuthSnapshot.ROOT)) {
      throw EtcdError.INVALID_AUTH_MGMT.exception();
    }
    User user = auth.user(name);
    if (user == null) {
      throw EtcdError.USER_NOT_FOUND.exception();
    }
    if (!user.getRolesList().contains(role)) {
      throw EtcdError.ROLE_NOT_GRANTED.exception();
    }
    List<String> roles = new ArrayList<>(user.getRolesList());
    roles.removeIf(role::equals);
    User changed = user.toBuilder().clearRoles().addAllRoles(roles).build();
    return new Outcome(withUser(bumped(auth), auth, changed).build(), AuthUserRevokeRoleResponse.getDefaultInstance(), NOTHING);
  }

  /** etcd lets a user read itself without the root role. */
  private static Outcome userGet(AuthSnapshot auth, AuthInfo who, String name) {
    try {
      auth.checkAdmin(who);
    } catch (io.cairn.api.EtcdException e) {
      if (!name.equals(who.userName())) {
        throw e;
      }
    }
    User user = auth.user(name);
    if (user == null) {
      throw EtcdError.USER_NOT_FOUND.exception();
    }
    return Outcome.unchanged(AuthUserGetResponse.newBuilder().addAllRoles(user.getRolesList()).build());
  }

  private static Outcome roleAdd(AuthSnapshot auth, String name) {
    if (name.isEmpty()) {
      throw EtcdError.ROLE_EMPTY.exception();
    }
    if (auth.role(name) != null) {
      throw EtcdError.ROLE_ALREADY_EXIST.exception();
    }
    return new Outcome(withRole(bumped(auth), auth, Role.newBuilder().setName(AuthStore.utf8(name)).build()).build(),
        AuthRoleAddResponse.getDefaultInstance(), NOTHING);
  }

  private static Outcome roleDelete(AuthSnapshot auth, String name) {
    if (auth.enabled() && name.equals(AuthSnapshot.ROOT)) {
      throw EtcdError.INVALID_AUTH_MGMT.exception();
    }
    if (auth.role(name) == null) {
      throw EtcdError.ROLE_NOT_FOUND.exception();
    }
    AuthStoreState.Builder next = bumped(auth).clearRoles().clearUsers();
    auth.state().getRolesList().stream().filter(r -> !r.getName().toStringUtf8().equals(name)).forEach(next::addRoles);
    for (User u : auth.state().getUsersList()) {
      next.addUsers(u.getRolesList().contains(name)
          ? u.toBuilder().clearRoles().addAllRoles(u.getRolesList().stream().filter(r -> !r.equals(name)).toList()).build()
          : u);
    }
    return new Outcome(next.build(), AuthRoleDeleteResponse.getDefaultInstance(), NOTHING);
  }

  /** etcd: a permission with the same key and range end changes type; otherwise it is added, in key order. */
  private static Outcome grantPermission(AuthSnapshot auth, AuthRoleGrantPermissionRequest r) {
    Role role = auth.role(r.getName());
    if (role == null) {
      throw EtcdError.ROLE_NOT_FOUND.exception();
    }
    List<Permission> perms = new ArrayList<>(role.getKeyPermissionList());
    Permission wanted = r.getPerm();
    boolean updated = false;
    for (int i = 0; i < perms.size(); i++) {
      Permission p = perms.get(i);
      if (p.getKey().equals(wanted.getKey()) && p.getRangeEnd().equals(wanted.getRangeEnd())) {
        perms.set(i, p.toBuilder().setPermType(wanted.getPermType()).build());
        updated = true;
        break;
      }
    }
    if (!updated) {
      perms.add(Permission.newBuilder().setKey(wanted.getKey()).setRangeEnd(wanted.getRangeEnd())
          .setPermType(wanted.getPermType()).build());
      perms.sort(Comparator.comparing(Permission::getKey, ByteString.unsignedLexicographicalComparator()));
    }
    Role changed = role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build();
    return new Outcome(withRole(bumped(auth), auth, changed).build(), AuthRoleGrantPermissionResponse.getDefaultInstance(), NOTHING);
  }

  private static Outcome revokePermission(AuthSnapshot auth, AuthRoleRevokePermissionRequest r) {
    Role role = auth.role(r.getRole());
    if (role == null) {
      throw EtcdError.ROLE_NOT_FOUND.exception();
    }
    List<Permission> kept = role.getKeyPermissionList().stream()
        .filter(p -> !p.getKey().equals(r.getKey()) || !p.getRangeEnd().equals(r.getRangeEnd())).toList();
    if (kept.size() == role.getKeyPermissionCount()) {
      throw EtcdError.PERMISSION_NOT_GRANTED.exception();
    }
    Role changed = role.toBuilder().clearKeyPermission().addAllKeyPermission(kept).build();
    return new Outcome(withRole(bumped(auth), auth, changed).build(), AuthRoleRevokePermissionResponse.getDefaultInstance(), NOTHING);
  }

  /** etcd lets a user read a role it has without the root role. */
  private static Outcome roleGet(AuthSnapshot auth, AuthInfo who, String name) {
    try {
      auth.checkAdmin(who);
    } catch (io.cairn.api.EtcdException e) {
      if (!auth.hasRole(who.userName(), name)) {
        throw e;
      }
    }
    Role role = auth.role(name);
    if (role == null) {
      throw EtcdError.ROLE_NOT_FOUND.exception();
    }
    return Outcome.unchanged(AuthRoleGetResponse.newBuilder().addAllPerm(role.getKeyPermissionList()).build());
  }

  /** {@code next} with {@code user} replacing the user of the same name, or added. */
  private static AuthStoreState.Builder withUser(AuthStoreState.Builder next, AuthSnapshot auth, User user) {
    return next.clearUsers().addAllUsers(replacedOrAdded(auth.state().getUsersList(), user, User::getName));
  }

  private static AuthStoreState.Builder withRole(AuthStoreState.Builder next, AuthSnapshot auth, Role role) {
    return next.clearRoles().addAllRoles(replacedOrAdded(auth.state().getRolesList(), role, Role::getName));
  }

  /** {@code items} with {@code item} in place of the one of the same name, or at the end. */
  private static <T> List<T> replacedOrAdded(List<T> items, T item, Function<T, ByteString> name) {
    List<T> out = new ArrayList<>(items.size() + 1);
    boolean replaced = false;
    for (T existing : items) {
      boolean same = name.apply(existing).equals(name.apply(item));
      out.add(same ? item : existing);
      replaced |= same;
    }
    if (!replaced) {
      out.add(item);
    }
    return out;
  }
}
