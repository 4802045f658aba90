package io.secrethub.core.auth;

import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.InvalidTokenException;
import io.secrethub.core.LoginResult;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.PermissionDeniedException;
import io.secrethub.core.TokenInfo;
import io.secrethub.core.Tokens;
import io.secrethub.core.access.Operation;
import io.secrethub.core.policy.Policy;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.storage.Database;
import io.secrethub.core.token.IssuedToken;
import io.secrethub.core.token.TokenEntry;
import io.secrethub.core.token.TokenSpec;
import io.secrethub.core.token.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** {@code hub.auth().tokens()}: every call through the pipeline, so expired tokens are refused and all is audited. */
public final class TokensService implements Tokens {

    private final RequestPipeline pipeline;
    private final Database database;
    private final TokenStore tokens;

    public TokensService(RequestPipeline pipeline, Database database, TokenStore tokens) {
        this.pipeline = pipeline;
        this.database = database;
        this.tokens = tokens;
    }

    @Override
    public TokenInfo lookup(String token) {
        return pipeline.execute(Operation.TOKEN_LOOKUP_SELF, token, null, RequestPipeline.NO_PATH, null,
                ctx -> info(ctx.caller().token()));
    }

    @Override
    public TokenInfo renew(String token, Duration increment) {
        if (increment != null && (increment.isNegative() || increment.isZero())) {
            throw new InvalidRequestException("increment must be positive");
        }
        TokenInfo renewed = pipeline.execute(Operation.TOKEN_RENEW_SELF, token, null, RequestPipeline.NO_PATH, null,
                ctx -> {
            TokenEntry entry = ctx.caller().token();
            if (entry.expiresAt() == null) {
                return info(entry); // never expires: nothing to renew
            }
            Duration step = increment != null ? increment : entry.ttl();
            Instant wanted = ctx.time().plus(step).truncatedTo(ChronoUnit.MICROS);
            Instant capped = entry.maxExpiresAt() != null && wanted.isAfter(entry.maxExpiresAt())
                    ? entry.maxExpiresAt() : wanted;
            return database.transaction("renew a token", c -> {
                TokenEntry updated = tokens.setExpiry(c, token, capped)
                        .orElseThrow(() -> new InvalidTokenException("invalid token"));
                ctx.auditSuccess("capped=" + !capped.equals(wanted));
                return info(updated);
            });
        });
        tokens.forget(token);
        return renewed;
    }

    @Override
    public void revoke(String token, String accessorToRevoke) {
        if (accessorToRevoke == null || accessorToRevoke.isEmpty() || accessorToRevoke.length() > 64) {
            throw new InvalidRequestException("invalid accessor");
        }
        pipeline.execute(Operation.TOKEN_REVOKE_ACCESSOR, token, null, RequestPipeline.NO_PATH, null, ctx -> {
            tokens.revoke(accessorToRevoke, revoked -> {
                if (revoked.isEmpty()) {
                    throw new NotFoundException("no token with that accessor");
                }
                ctx.auditSuccess("revoked=" + revoked.size()); // inside the transaction: unrecorded, not revoked
            });
            return null;
        });
    }

    @Override
    public void revokeSelf(String token) {
        pipeline.execute(Operation.TOKEN_REVOKE_SELF, token, null, RequestPipeline.NO_PATH, null, ctx -> {
            tokens.revoke(ctx.caller().accessor(), revoked -> ctx.auditSuccess("revoked=" + revoked.size()));
            return null;
        });
    }

    @Override
    public LoginResult create(String token, List<String> policies, Duration ttl, String displayName) {
        if (ttl != null && ttl.toSeconds() < 1) {
            throw new InvalidRequestException("ttl must be at least one second");
        }
        String label = displayName == null || displayName.isBlank() ? "token"
                : "token-" + displayName.replaceAll("[^A-Za-z0-9._-]", "-");
        if (label.length() > 128) {
            throw new InvalidRequestException("display_name is longer than 120 characters");
        }
        for (String policy : policies) {
            if (!Policy.isValidName(policy)) {
                throw new InvalidRequestException("invalid policy name in token request");
            }
        }
        return pipeline.execute(Operation.TOKEN_CREATE, token, null, RequestPipeline.NO_PATH, null, ctx -> {
            TokenEntry parent = ctx.caller().token();
            TreeSet<String> granted = new TreeSet<>(policies.isEmpty() ? parent.policies() : policies);
            if (!ctx.caller().isRoot()) {
                if (!parent.policies().containsAll(granted)) {
                    throw new PermissionDeniedException("child policies must be a subset of the parent's");
                }
                granted.add(Policy.DEFAULT);
            } else if (!granted.contains(Policy.ROOT)) {
                granted.add(Policy.DEFAULT);
            }
            if (granted.contains(Policy.ROOT) && granted.size() > 1) {
                granted.retainAll(Set.of(Policy.ROOT)); // a root token has no other policy
            }
            Duration wanted = ttl != null ? ttl : MAX_CREATED_TTL;
            if (parent.expiresAt() != null) {
                Duration left = Duration.between(ctx.time(), parent.expiresAt());
                if (left.compareTo(wanted) < 0) {
                    wanted = left.toSeconds() < 1 ? Duration.ofSeconds(1) : Duration.ofSeconds(left.toSeconds());
                }
            }
            Duration max = parent.maxExpiresAt() == null ? MAX_CREATED_TTL
                    : Duration.ofSeconds(Math.max(wanted.toSeconds(),
                            Duration.between(ctx.time(), parent.maxExpiresAt()).toSeconds()));
            if (max.compareTo(MAX_CREATED_TTL) > 0) {
                max = MAX_CREATED_TTL;
            }
            IssuedToken issued = tokens.create(new TokenSpec(List.copyOf(granted), label, wanted,
                    max.compareTo(wanted) < 0 ? wanted : max, parent.accessor()));
            TokenEntry e = issued.entry();
            return new LoginResult(issued.token(), e.accessor(), e.policies(), e.ttl(), e.leaseId());
        });
    }

    @Override
    public TokenInfo lookup(String token, String otherToken) {
        return pipeline.execute(Operation.TOKEN_LOOKUP, token, null, RequestPipeline.NO_PATH, null,
                ctx -> info(live(otherToken, ctx.time())));
    }

    @Override
    public void revokeToken(String token, String otherToken) {
        pipeline.execute(Operation.TOKEN_REVOKE, token, null, RequestPipeline.NO_PATH, null, ctx -> {
            tokens.lookup(otherToken).ifPresent(entry -> {
                // audited inside the transaction, like the other revocations: unrecorded, not revoked
                tokens.revoke(entry.accessor(), revoked -> ctx.auditSuccess("revoked=" + revoked.size()));
                tokens.forget(otherToken);
            });
            return null;
        });
    }

    /** The entry of a token that exists and has not expired; one message for every other case. */
    private TokenEntry live(String otherToken, Instant now) {
        TokenEntry entry = tokens.lookup(otherToken).orElseThrow(() -> new InvalidRequestException("bad token"));
        if (entry.expiresAt() != null && !entry.expiresAt().isAfter(now)) {
            throw new InvalidRequestException("bad token");
        }
        return entry;
    }

    private static TokenInfo info(TokenEntry e) {
        return new TokenInfo(e.accessor(), e.policies(), e.displayName(), e.createdAt(), e.ttl(), e.expiresAt(),
                e.maxExpiresAt(), e.leaseId());
    }
}
