package io.secrethub.core.auth;

import io.secrethub.core.AppRole;
import io.secrethub.core.Auth;
import io.secrethub.core.Tokens;

/** {@code hub.auth()}. */
public final class AuthService implements Auth {

    private final AppRoleService appRole;
    private final TokensService tokens;

    public AuthService(AppRoleService appRole, TokensService tokens) {
        this.appRole = appRole;
        this.tokens = tokens;
    }

    @Override
    public AppRole appRole() {
        return appRole;
    }

    @Override
    public Tokens tokens() {
        return tokens;
    }
}
