package io.secrethub.core;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * The outcome of verifying an agent certificate ({@link Agents#verify}): the authenticated agent, or why
 * the certificate was refused.
 *
 * <p>A result rather than an exception, because a refusal is an ordinary outcome an mTLS endpoint
 * wants to audit with its reason; {@link #requireValid()} turns it into an exception when the
 * caller just wants to stop.
 */
public final class CertificateVerification {

    /** Why a certificate was accepted or refused. */
    public enum Outcome {
        /** Issued by this CA, within its validity, for client authentication, not revoked. */
        VALID,
        /** Not a parseable certificate. */
        MALFORMED,
        /** Not issued by this CA (other issuer, or the signature does not verify). */
        UNTRUSTED,
        /** Its validity starts after the verification time. */
        NOT_YET_VALID,
        /** Its validity ended before the verification time. */
        EXPIRED,
        /** Issued by this CA but not an agent client certificate (a CA, no clientAuth, no agent URI). */
        WRONG_USAGE,
        /** Its serial is revoked. */
        REVOKED
    }

    private final Outcome outcome;
    private final String message;
    private final String agentId;
    private final BigInteger serial;
    private final Instant notAfter;

    private CertificateVerification(Outcome outcome, String message, String agentId, BigInteger serial,
            Instant notAfter) {
        this.outcome = outcome;
        this.message = message;
        this.agentId = agentId;
        this.serial = serial;
        this.notAfter = notAfter;
    }

    /** An accepted certificate of {@code agentId}. */
    public static CertificateVerification valid(String agentId, BigInteger serial, Instant notAfter) {
        return new CertificateVerification(Outcome.VALID, "valid certificate for agent " + agentId,
                Objects.requireNonNull(agentId), Objects.requireNonNull(serial), Objects.requireNonNull(notAfter));
    }

    /**
     * A refused certificate.
     *
     * @param serial the certificate's serial, or {@code null} when it could not be parsed
     * @throws IllegalArgumentException if {@code outcome} is {@link Outcome#VALID}
     */
    public static CertificateVerification refused(Outcome outcome, String message, BigInteger serial) {
        if (outcome == Outcome.VALID) {
            throw new IllegalArgumentException("a refusal needs a failure outcome");
        }
        return new CertificateVerification(outcome, message, null, serial, null);
    }

    /** Whether the certificate was accepted. */
    public boolean isValid() {
        return outcome == Outcome.VALID;
    }

    /** The outcome. */
    public Outcome outcome() {
        return outcome;
    }

    /** A human-readable reason, fit for an audit record (no key material). */
    public String message() {
        return message;
    }

    /**
     * The authenticated agent id.
     *
     * @throws IllegalStateException if the certificate was refused
     */
    public String agentId() {
        requireValidState();
        return agentId;
    }

    /**
     * The certificate's serial; also known for most refusals (not for {@link Outcome#MALFORMED}),
     * so an audit record can name the certificate.
     *
     * @return the serial, or {@code null} when the certificate could not be parsed
     */
    public BigInteger serial() {
        return serial;
    }

    /**
     * End of the certificate's validity.
     *
     * @throws IllegalStateException if the certificate was refused
     */
    public Instant notAfter() {
        requireValidState();
        return notAfter;
    }

    /**
     * Returns the agent id, or throws when the certificate was refused.
     *
     * @throws InvalidRequestException carrying {@link #message()}
     */
    public String requireValid() {
        if (!isValid()) {
            throw new InvalidRequestException("certificate refused (" + outcome + "): " + message);
        }
        return agentId;
    }

    private void requireValidState() {
        if (!isValid()) {
            throw new IllegalStateException("certificate was refused (" + outcome + "): " + message);
        }
    }

    @Override
    public String toString() {
        return "CertificateVerification[" + outcome + ": " + message + "]";
    }
}
