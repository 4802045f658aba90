package io.secrethub.core.agents;

import io.secrethub.core.AgentRegistration;
import io.secrethub.core.Agents;
import io.secrethub.core.CaKeyType;
import io.secrethub.core.CertificateVerification;
import io.secrethub.core.ClientAddress;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.NotFoundException;
import io.secrethub.core.PermissionDeniedException;
import io.secrethub.core.access.Operation;
import io.secrethub.core.auth.AddressRateLimiter;
import io.secrethub.core.keyring.RowBackfill;
import io.secrethub.core.keyring.RowMacs;
import io.secrethub.core.pki.AgentIds;
import io.secrethub.core.pki.CertificateAuthority;
import io.secrethub.core.pki.IssuedCertificate;
import io.secrethub.core.pki.Pem;
import io.secrethub.core.request.RequestPipeline;
import io.secrethub.core.secrets.ChangeNotices;
import io.secrethub.core.storage.Database;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * {@code hub.agents()}. The CPU work (CSR verification, signing) happens before any connection is
 * taken; the database work of each call is one statement. Nothing is returned before its audit
 * record is durable.
 */
public final class AgentsService implements Agents {

    /** Authenticate the agent and certificate rows written before row MACs. */
    public static final List<RowBackfill> BACKFILLS = AgentStore.BACKFILLS;

    /** A renewal that would give less than this is refused rather than handing out a near-dead certificate. */
    private static final Duration MIN_RENEWAL = Duration.ofMinutes(1);
    private static final String NOT_VALID = "the current certificate is not a valid certificate of this agent";

    private final RequestPipeline pipeline;
    private final Database database;
    private final InternalCa ca;
    private final Duration certificateTtl;
    private final Duration maxLifetime;
    /** Calls without a token per client address: every verification, failed renewals. */
    private final AddressRateLimiter limiter;

    /**
     * @param maxLifetime how long after its registration an agent may still renew (renewals end by then)
     * @param limiter the per-address limit on calls that present no token (verification, failed renewals)
     */
    public AgentsService(RequestPipeline pipeline, Database database, Clock clock, CaKeyType caKeyType,
            Duration certificateTtl, Duration maxLifetime, AddressRateLimiter limiter) {
        this.limiter = limiter;
        this.pipeline = pipeline;
        this.database = database;
        this.ca = new InternalCa(database, clock, caKeyType);
        this.certificateTtl = certificateTtl;
        this.maxLifetime = maxLifetime;
    }

    /** Forgets the CA on seal. */
    public void forgetCa() {
        ca.forget();
    }

    @Override
    public AgentRegistration register(String token, String agentId, String csrPem, Map<String, String> metadata) {
        return pipeline.execute(Operation.AGENT_REGISTER, token, agentId, AgentIds::requireValid, null, ctx -> {
            String json = AgentMetadata.toJson(metadata);
            Instant now = ctx.time().truncatedTo(ChronoUnit.MICROS);
            CertificateAuthority authority = ca.get(ctx.keys().barrier());
            IssuedCertificate cert = authority.issueAgentCertificate(csrPem, ctx.path(), certificateTtl, now);
            AgentStore.Registration registered = database.transaction("register an agent", c -> {
                AgentStore.Registration r = AgentStore.register(c, json, cert, now, ctx.keys().system().rows());
                if (r == AgentStore.Registration.AGAIN) {
                    // connections still holding an earlier certificate verify it again; a new id had none, and a
                    // NOTIFY would serialize this commit behind every other notifying one
                    ChangeNotices.send(c, ChangeNotices.Kind.AGENT, List.of(ctx.path()));
                }
                return r;
            });
            if (registered == AgentStore.Registration.REFUSED) {
                throw new InvalidRequestException("agent " + ctx.path() + " is already registered; revoke it first");
            }
            // Audited after the (single-statement) commit so no connection is held while the audit
            // batch commits. Still fail closed: the certificate is handed out only once audited; if
            // the audit fails, the registration is revoked so the agent can simply register again.
            try {
                ctx.auditSuccess("serial=" + cert.serial().toString(16));
            } catch (RuntimeException e) {
                try {
                    database.transaction("undo an unaudited registration",
                            c -> AgentStore.revoke(c, ctx.path(), now, ctx.keys().system().rows()));
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return registration(cert);
        });
    }

    @Override
    public AgentRegistration renew(String agentId, String currentCertPem, String csrPem) {
        String address = ClientAddress.current();
        limiter.check(address, Operation.AGENT_RENEW.auditName()); // refused before any work or audit record
        try {
            return renewChecked(agentId, currentCertPem, csrPem);
        } catch (PermissionDeniedException | InvalidRequestException e) {
            limiter.charge(address); // only failed renewals count
            throw e;
        }
    }

    private AgentRegistration renewChecked(String agentId, String currentCertPem, String csrPem) {
        String path = AgentIds.isValid(agentId) ? Operation.AGENT_RENEW.policyPath(agentId) : null;
        return pipeline.executeUnauthenticated(Operation.AGENT_RENEW, path, null, ctx -> {
            AgentIds.requireValid(agentId);
            Instant now = ctx.time().truncatedTo(ChronoUnit.MICROS);
            CertificateAuthority authority = ca.get(ctx.keys().barrier());
            CertificateVerification current = authority.verify(currentCertPem,
                    serial -> isRevoked(serial, ctx.keys().system().rows()), now);
            if (!current.isValid() || !agentId.equals(current.agentId())) {
                throw new PermissionDeniedException(NOT_VALID);
            }
            if (!samePublicKey(currentCertPem, csrPem)) {
                throw new PermissionDeniedException("the request must be signed with the current certificate's key");
            }
            Instant registered = database.autocommit("read an agent's registration",
                    c -> AgentStore.registeredAt(c, agentId, ctx.keys().system().rows()))
                    .orElseThrow(() -> new PermissionDeniedException(NOT_VALID));
            Duration left = Duration.between(now, registered.plus(maxLifetime));
            if (left.compareTo(MIN_RENEWAL) < 0) {
                throw new PermissionDeniedException("agent " + agentId + " has reached its maximum certificate"
                        + " lifetime; it must be registered again");
            }
            Duration ttl = left.compareTo(certificateTtl) < 0 ? left : certificateTtl;
            IssuedCertificate cert = authority.issueAgentCertificate(csrPem, agentId, ttl, now);
            database.transaction("renew an agent certificate", c -> {
                if (!AgentStore.addCertificate(c, cert, now, ctx.keys().system().rows())) {
                    throw new PermissionDeniedException(NOT_VALID);
                }
                ctx.auditSuccess("serial=" + cert.serial().toString(16));
                return null;
            });
            return registration(cert);
        });
    }

    @Override
    public void revoke(String token, String agentId) {
        pipeline.execute(Operation.AGENT_REVOKE, token, agentId, AgentIds::requireValid, null, ctx -> {
            database.transaction("revoke an agent", c -> {
                if (!AgentStore.revoke(c, ctx.path(), ctx.time().truncatedTo(ChronoUnit.MICROS),
                        ctx.keys().system().rows())) {
                    throw new NotFoundException("no registered agent " + ctx.path());
                }
                ChangeNotices.send(c, ChangeNotices.Kind.AGENT, List.of(ctx.path()));
                ctx.auditSuccess(null);
                return null;
            });
            return null;
        });
    }

    @Override
    public CertificateVerification verify(String certPem) {
        // Anybody may verify any certificate and each costs a durable audit record: every call counts.
        limiter.acquire(ClientAddress.current(), Operation.AGENT_VERIFY.auditName());
        return check(certPem);
    }

    @Override
    public CertificateVerification verifyPresented(String certPem) {
        // The holder proved possession of the key in its TLS handshake: only refusals count, as failed logins do.
        String address = ClientAddress.current();
        limiter.check(address, Operation.AGENT_VERIFY.auditName());
        CertificateVerification result = check(certPem);
        if (!result.isValid()) {
            limiter.charge(address);
        }
        return result;
    }

    private CertificateVerification check(String certPem) {
        return pipeline.executeUnauthenticated(Operation.AGENT_VERIFY, Operation.AGENT_VERIFY.policyPath(null), null,
                ctx -> {
                    CertificateVerification result = ca.get(ctx.keys().barrier()).verify(certPem,
                            serial -> isRevoked(serial, ctx.keys().system().rows()), ctx.time());
                    ctx.auditSuccess("outcome=" + result.outcome()
                            + (result.isValid() ? " agent=" + result.agentId() : ""));
                    return result;
                });
    }

    private boolean isRevoked(java.math.BigInteger serial, RowMacs macs) {
        return database.autocommit("check a certificate's revocation", c -> AgentStore.isRevoked(c, serial, macs));
    }

    /** Whether the CSR carries the public key of the (already verified) current certificate. */
    private static boolean samePublicKey(String currentCertPem, String csrPem) {
        try {
            SubjectPublicKeyInfo current = new X509CertificateHolder(
                    Pem.decode(currentCertPem, Pem.CERTIFICATE).get(0)).getSubjectPublicKeyInfo();
            SubjectPublicKeyInfo requested = new PKCS10CertificationRequest(
                    Pem.decodeSingle(csrPem, Pem.CERTIFICATE_REQUEST)).getSubjectPublicKeyInfo();
            return current.equals(requested);
        } catch (IOException | RuntimeException e) {
            throw new InvalidRequestException("malformed certificate signing request");
        }
    }

    private static AgentRegistration registration(IssuedCertificate cert) {
        return new AgentRegistration(cert.agentId(), cert.serial(), cert.certificatePem(), cert.chainPem(),
                cert.notAfter());
    }
}
