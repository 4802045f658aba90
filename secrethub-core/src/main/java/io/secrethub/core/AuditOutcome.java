package io.secrethub.core;

/** How an audited call ended. */
public enum AuditOutcome {
    /** The call did what it was asked. */
    SUCCESS,
    /** The caller was refused: invalid token or missing permission. */
    DENIED,
    /** The call was allowed but failed (bad request, not found, check-and-set, storage, …). */
    ERROR
}
