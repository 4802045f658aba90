package io.secrethub.core.auth;

import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.InvalidTokenException;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.TokenInfo;
import io.secrethub.core.Tokens;
import io.secrethub.core.access.Operation;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.storage.Database;
import io.secrethub.core.token.TokenEntry;
import io.secrethub.core.token.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

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
        TokenInfo renewed = pipeline.execute(Operation.TOKEN_RENEW_SELF, token, null, RequestPipeline.NO_PATH, null, ctx -> {
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

    private static TokenInfo info(TokenEntry e) {
        return new TokenInfo(e.accessor(), e.policies(), e.displayName(), e.createdAt(), e.ttl(), e.expiresAt(),
                e.maxExpiresAt(), e.leaseId());
    }
}
