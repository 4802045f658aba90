package io.secrethub.core;

/** {@code hub.auth()}: authentication methods and token management. */
public interface Auth {

    /** AppRole: machine logins with a role_id and a secret_id. */
    AppRole appRole();

    /** Token lookup, renewal and revocation. */
    Tokens tokens();
}
