package io.secrethub.core.auth;

import io.secrethub.core.AppRole;
import io.secrethub.core.AppRoleSettings;
import io.secrethub.core.ClientAddress;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.LoginResult;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.PermissionDeniedException;
import io.secrethub.core.SecretIdResult;
import io.secrethub.core.access.Operation;
import io.secrethub.core.crypto.Hmacs;
import io.secrethub.core.crypto.KeyMaterial;
import io.secrethub.core.crypto.Randoms;
import io.secrethub.core.keyring.Barrier;
import io.secrethub.core.keyring.RowBackfill;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.secrets.ChangeNotices;
import io.secrethub.core.storage.Database;
import io.secrethub.core.token.IssuedToken;
import io.secrethub.core.token.TokenSpec;
import io.secrethub.core.token.TokenStore;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * AppRole, after Vault's: roles with a random role_id; secret_ids stored only as HMAC-SHA256 under a
 * per-role key (itself encrypted through the barrier); logins that spend a use, check the CIDR
 * binding and issue a token in one statement, group-committed with the logins arriving at the same time
 * ({@link LoginBatcher}).
 *
 * <p>No oracle: an unknown role_id, a wrong, expired or used-up secret_id and an address outside the
 * role's CIDRs all end in the same {@link PermissionDeniedException} after the same steps — an HMAC
 * (under a dummy key when the role is unknown) and the same consuming query (which cannot match).
 */
public final class AppRoleService implements AppRole, AutoCloseable {

    /** Authenticates the AppRole role rows written before row MACs. */
    public static final RowBackfill ROLE_BACKFILL = AppRoleStore.BACKFILL;

    /** Where the leases of login tokens live (Vault's path), so {@code revokePrefix} can end every AppRole session. */
    static final String LOGIN_LEASE_PATH = "auth/approle/login";

    /** The one refusal message of {@link #login}. */
    static final String DENIED = "invalid role_id or secret_id";

    private final RequestPipeline pipeline;
    private final Database database;
    private final TokenStore tokens;
    private final RoleCache roles;
    private final LoginBatcher logins;
    /** Failed logins per client address, refused before they cost an audit record once over the limit. */
    private final AddressRateLimiter limiter;
    /** Stands in for an unknown role's key so an unknown role_id costs the same HMAC as a known one. */
    private final KeyMaterial dummyKey = KeyMaterial.hmacSha256(Randoms.bytes(KeyMaterial.KEY_BYTES));

    public AppRoleService(RequestPipeline pipeline, Database database, TokenStore tokens, Duration roleCacheTtl,
            Duration loginTimeout, String node, AddressRateLimiter limiter) {
        this.limiter = limiter;
        this.pipeline = pipeline;
        this.database = database;
        this.tokens = tokens;
        this.roles = new RoleCache(roleCacheTtl.toNanos());
        this.logins = new LoginBatcher(database, loginTimeout, node);
    }

    /** Starts the login batcher's thread. */
    public void start() {
        logins.start();
    }

    /** Stops the login batcher (logins already queued finish first). */
    @Override
    public void close() {
        logins.close();
    }

    /** Wipes cached role keys (on seal). */
    public void wipe() {
        roles.wipe();
    }

    /** Forgets every cached role: a role changed on another instance, or such a change may have been missed. */
    public void rolesChanged() {
        roles.clear();
    }

    @Override
    public void writeRole(String token, String roleName, AppRoleSettings settings) {
        Objects.requireNonNull(settings, "settings");
        pipeline.execute(Operation.APPROLE_ROLE_WRITE, token, roleName, AppRoleService::validRoleName, null, ctx -> {
            byte[] rawKey = Randoms.bytes(KeyMaterial.KEY_BYTES);
            byte[] encryptedKey;
            try {
                encryptedKey = ctx.keys().barrier().encrypt(rawKey, AppRoleStore.keyAad(ctx.path()));
            } finally {
                Arrays.fill(rawKey, (byte) 0);
            }
            Instant now = ctx.time().truncatedTo(ChronoUnit.MICROS);
            database.transaction("write an AppRole role", c -> {
                AppRoleStore.upsert(c, ctx.path(), UUID.randomUUID(), encryptedKey, settings, now,
                        ctx.keys().system().rows());
                ChangeNotices.send(c, ChangeNotices.Kind.ROLE, List.of(ctx.path()));
                ctx.auditSuccess("policies=" + settings.policies().size());
                return null;
            });
            roles.clear();
            return null;
        });
    }

    @Override
    public AppRoleSettings readRole(String token, String roleName) {
        return pipeline.execute(Operation.APPROLE_ROLE_READ, token, roleName, AppRoleService::validRoleName, null,
                ctx -> {
                    AppRoleSettings settings = database.autocommit("read an AppRole role",
                            c -> AppRoleStore.settings(c, ctx.path(), ctx.keys().system().rows()));
                    if (settings == null) {
                        throw new NotFoundException("no AppRole role named " + ctx.path());
                    }
                    return settings;
                });
    }

    @Override
    public void deleteRole(String token, String roleName) {
        pipeline.execute(Operation.APPROLE_ROLE_DELETE, token, roleName, AppRoleService::validRoleName, null, ctx -> {
            database.transaction("delete an AppRole role", c -> {
                if (!AppRoleStore.delete(c, ctx.path())) {
                    throw new NotFoundException("no AppRole role named " + ctx.path());
                }
                ChangeNotices.send(c, ChangeNotices.Kind.ROLE, List.of(ctx.path()));
                ctx.auditSuccess(null);
                return null;
            });
            roles.clear();
            return null;
        });
    }

    @Override
    public String roleId(String token, String roleName) {
        return pipeline.execute(Operation.APPROLE_ROLE_ID_READ, token, roleName, AppRoleService::validRoleName, null,
                ctx -> {
                    UUID id = database.autocommit("read a role_id", c -> AppRoleStore.roleId(c, ctx.path(),
                            ctx.keys().system().rows()));
                    if (id == null) {
                        throw new NotFoundException("no AppRole role named " + ctx.path());
                    }
                    return id.toString();
                });
    }

    @Override
    public SecretIdResult generateSecretId(String token, String roleName) {
        return pipeline.execute(Operation.APPROLE_SECRET_ID_GENERATE, token, roleName, AppRoleService::validRoleName,
                null, ctx -> {
                    Barrier barrier = ctx.keys().barrier();
                    Instant now = ctx.time().truncatedTo(ChronoUnit.MICROS);
                    return database.transaction("generate a secret_id", c -> {
                        AppRoleStore.StoredRole role = AppRoleStore.forSecretId(c, ctx.path(),
                                ctx.keys().system().rows());
                        if (role == null) {
                            throw new NotFoundException("no AppRole role named " + ctx.path());
                        }
                        String secretId = SecretIds.newSecretId();
                        String accessor = SecretIds.newAccessor();
                        KeyMaterial key = KeyMaterial.hmacSha256(barrier.decrypt(role.encryptedKey(),
                                AppRoleStore.keyAad(ctx.path())));
                        byte[] hash;
                        try {
                            hash = Hmacs.hmac(key, SecretIds.bytesOf(secretId));
                        } finally {
                            key.destroy();
                        }
                        Instant expires = role.secretIdTtlSeconds() == null ? null
                                : now.plusSeconds(role.secretIdTtlSeconds());
                        AppRoleStore.insertSecretId(c, hash, ctx.path(), accessor, now, expires,
                                role.secretIdNumUses());
                        ctx.auditSuccess(null);
                        return new SecretIdResult(secretId, accessor, expires);
                    });
                });
    }

    @Override
    public LoginResult login(String roleId, String secretId, String clientAddress) {
        String limitedAddress = clientAddress != null ? clientAddress : ClientAddress.current();
        limiter.check(limitedAddress, Operation.APPROLE_LOGIN.auditName()); // not audited: that is what it saves
        try {
            return loginChecked(roleId, secretId, clientAddress);
        } catch (PermissionDeniedException | InvalidRequestException e) {
            limiter.charge(limitedAddress); // only failures count: a busy address that logs in is never limited
            throw e;
        }
    }

    private LoginResult loginChecked(String roleId, String secretId, String clientAddress) {
        InetAddress address = parseAddressOrNull(clientAddress);
        String auditedAddress = address == null ? null : address.getHostAddress();
        return pipeline.executeUnauthenticated(Operation.APPROLE_LOGIN, Operation.APPROLE_LOGIN.policyPath(null),
                auditedAddress, ctx -> {
                    if (clientAddress != null && address == null) {
                        throw IpAddresses.invalid();
                    }
                    Barrier barrier = ctx.keys().barrier();
                    UUID id = parseUuidOrNull(roleId);
                    RoleCache.Slot slot = id == null ? null : roles.acquire(id,
                            rid -> database.autocommit("load an AppRole role", c -> AppRoleStore.load(c, barrier, rid,
                                    ctx.keys().system().rows())));
                    RoleEntry role = slot == null ? null : slot.role();
                    byte[] hash;
                    try {
                        hash = Hmacs.hmac(role == null ? dummyKey : role.hmacKey(), SecretIds.bytesOf(secretId));
                    } finally {
                        if (slot != null) {
                            slot.release(); // the key is not needed further; a cleared role's key is zeroed now
                        }
                    }
                    boolean admitted = role != null && role.admits(address);
                    // Same query whatever happened so far; an empty role name matches no secret_id.
                    String lookupRole = admitted ? role.name() : "";
                    Instant now = ctx.time();
                    // Prepared whatever happens, so every path does the same work.
                    TokenStore.Pending pending = TokenStore.prepare(ctx.keys().system(), new TokenSpec(
                            role == null ? List.of(Policy.DEFAULT) : role.tokenPolicies(),
                            role == null ? "approle" : "approle:" + role.name(),
                            role == null ? Duration.ofSeconds(1) : role.tokenTtl(),
                            role == null ? null : role.tokenMaxTtl(), null), now, LOGIN_LEASE_PATH);
                    ctx.leaveQueue(); // the batch serves more logins the more of them wait together
                    boolean stored = logins.consumeAndIssue(hash, lookupRole, now, pending);
                    if (!stored || !admitted) {
                        if (stored) {
                            tokens.revoke(pending.issued().entry().accessor()); // unreachable: "" matches no role
                        }
                        throw new PermissionDeniedException(DENIED);
                    }
                    IssuedToken issued = pending.issued();
                    // Audited after the commit, so the connection is not held while the audit batch
                    // commits (logins are the hot path). Still fail closed: the token is handed out only
                    // once audited, and a token nobody was given is unusable; we delete it anyway.
                    try {
                        ctx.auditSuccess("role=" + role.name()); // accessors stay out of the log (it HMACs them)
                    } catch (RuntimeException e) {
                        try {
                            tokens.revoke(issued.entry().accessor());
                        } catch (RuntimeException suppressed) {
                            e.addSuppressed(suppressed);
                        }
                        throw e;
                    }
                    return new LoginResult(issued.token(), issued.entry().accessor(), issued.entry().policies(),
                            role.tokenTtl(), issued.entry().leaseId());
                });
    }

    private static InetAddress parseAddressOrNull(String clientAddress) {
        if (clientAddress == null) {
            return null;
        }
        try {
            return IpAddresses.parse(clientAddress);
        } catch (InvalidRequestException e) {
            return null;
        }
    }

    private static UUID parseUuidOrNull(String roleId) {
        if (roleId == null || roleId.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(roleId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Role names follow policy-name syntax: 1-128 of a-z, 0-9, '-', '_', '.'. */
    static String validRoleName(String name) {
        if (!Policy.isValidName(name)) {
            throw new InvalidRequestException("invalid role name: expected 1-" + Policy.MAX_NAME_LENGTH
                    + " characters of a-z, 0-9, '-', '_' or '.', starting with a letter or digit");
        }
        return name;
    }
}
