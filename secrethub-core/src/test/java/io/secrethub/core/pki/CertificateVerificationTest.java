package io.secrethub.core.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secrethub.core.AgentCredentials;
import io.secrethub.core.CaKeyType;
import io.secrethub.core.CertificateVerification.Outcome;
import io.secrethub.core.CertificateVerification;
import io.secrethub.core.InvalidRequestException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link CertificateAuthority#verify}: what an mTLS endpoint asks about a presented certificate. */
class CertificateVerificationTest {

    private static final Predicate<BigInteger> NOTHING_REVOKED = serial -> false;

    private static final Instant NOW = Instant.now();
    private static CertificateAuthority ca;
    private static AgentCredentials agent;

    @BeforeAll
    static void createCa() {
        // Created in the past so certificates can be issued "in the past" too.
        ca = CertificateAuthority.create(CaKeyType.EC_P256, "Test CA", Duration.ofDays(3650),
                NOW.minus(Duration.ofDays(20)));
        agent = AgentCredentials.generate("agent-1");
    }

    @Test
    void validCertificateYieldsTheAgentId() {
        IssuedCertificate issued = ca.issueAgentCertificate(agent.csrPem(), "agent-1");

        CertificateVerification leafOnly = ca.verify(issued.certificatePem(), NOTHING_REVOKED, NOW);
        CertificateVerification chain = ca.verify(issued.chainPem(), NOTHING_REVOKED, NOW);

        for (CertificateVerification verification : List.of(leafOnly, chain)) {
            assertThat(verification.isValid()).as(verification.toString()).isTrue();
            assertThat(verification.outcome()).isEqualTo(Outcome.VALID);
            assertThat(verification.agentId()).isEqualTo("agent-1");
            assertThat(verification.serial()).isEqualTo(issued.serial());
            assertThat(verification.notAfter()).isEqualTo(issued.notAfter());
            assertThat(verification.requireValid()).isEqualTo("agent-1");
        }
    }

    @Test
    void expiredCertificateIsRefused() {
        IssuedCertificate issued = ca.issueAgentCertificate(agent.csrPem(), "agent-1", Duration.ofDays(1),
                NOW.minus(Duration.ofDays(10)));

        CertificateVerification verification = ca.verify(issued.certificatePem(), NOTHING_REVOKED, NOW);

        assertThat(verification.outcome()).isEqualTo(Outcome.EXPIRED);
        assertThat(verification.message()).startsWith("expired at ");
        assertThatThrownBy(verification::requireValid)
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("EXPIRED");
        assertThatThrownBy(verification::agentId).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void certificateIsValidUpToItsLastSecondOnly() {
        IssuedCertificate issued = ca.issueAgentCertificate(agent.csrPem(), "agent-1", Duration.ofHours(1), NOW);

        assertThat(ca.verify(issued.certificatePem(), NOTHING_REVOKED, issued.notAfter()).isValid()).isTrue();
        assertThat(ca.verify(issued.certificatePem(), NOTHING_REVOKED, issued.notAfter().plusSeconds(1)).outcome())
                .isEqualTo(Outcome.EXPIRED);
    }

    @Test
    void notYetValidCertificateIsRefused() {
        IssuedCertificate issued = ca.issueAgentCertificate(agent.csrPem(), "agent-1", null, NOW);

        CertificateVerification verification = ca.verify(issued.certificatePem(), NOTHING_REVOKED,
                NOW.minus(Duration.ofHours(1)));

        assertThat(verification.outcome()).isEqualTo(Outcome.NOT_YET_VALID);
    }

    @Test
    void revokedSerialIsRefused() {
        IssuedCertificate issued = ca.issueAgentCertificate(agent.csrPem(), "agent-1");
        List<BigInteger> asked = new ArrayList<>();

        CertificateVerification verification = ca.verify(issued.certificatePem(), serial -> {
            asked.add(serial);
            return serial.equals(issued.serial());
        }, NOW);

        assertThat(asked).containsExactly(issued.serial());
        assertThat(verification.outcome()).isEqualTo(Outcome.REVOKED);
        assertThat(verification.serial()).isEqualTo(issued.serial());
        assertThat(verification.message()).contains("agent-1", "revoked");
    }

    @Test
    void revocationLookupFailureFailsClosed() {
        IssuedCertificate issued = ca.issueAgentCertificate(agent.csrPem(), "agent-1");
        assertThatThrownBy(() -> ca.verify(issued.certificatePem(), serial -> {
            throw new IllegalStateException("database down");
        }, NOW)).hasMessage("database down");
    }

    @Test
    void certificateFromAnotherCaIsRefusedWithoutARevocationLookup() {
        CertificateAuthority other = CertificateAuthority.create(CaKeyType.EC_P256, "Other CA", Duration.ofDays(30),
                NOW);
        IssuedCertificate foreign = other.issueAgentCertificate(agent.csrPem(), "agent-1", null, NOW);

        CertificateVerification verification = ca.verify(foreign.certificatePem(), serial -> {
            throw new AssertionError("revocation must not be consulted for an untrusted certificate");
        }, NOW);

        assertThat(verification.outcome()).isEqualTo(Outcome.UNTRUSTED);
        assertThat(verification.message()).isEqualTo("not issued by this CA");
    }

    @Test
    void certificateFromAnImpostorCaWithTheSameNameIsRefused() {
        CertificateAuthority impostor = CertificateAuthority.create(CaKeyType.EC_P256, "Test CA",
                Duration.ofDays(30), NOW.minus(Duration.ofDays(1)));
        IssuedCertificate forged = impostor.issueAgentCertificate(agent.csrPem(), "agent-1", null, NOW);

        CertificateVerification verification = ca.verify(forged.certificatePem(), NOTHING_REVOKED, NOW);

        assertThat(verification.outcome()).isEqualTo(Outcome.UNTRUSTED);
        assertThat(verification.message()).contains("signature");
    }

    @Test
    void tamperedCertificateIsRefused() {
        IssuedCertificate issued = ca.issueAgentCertificate(agent.csrPem(), "agent-1");
        byte[] der = Pem.decodeSingle(issued.certificatePem(), Pem.CERTIFICATE);
        der[der.length - 1] ^= 0x01;

        CertificateVerification verification = ca.verify(Pem.encode(Pem.CERTIFICATE, der), NOTHING_REVOKED, NOW);

        assertThat(verification.outcome()).isEqualTo(Outcome.UNTRUSTED);
    }

    @Test
    void theCaCertificateItselfIsNotAnAgent() {
        CertificateVerification verification = ca.verify(ca.certificatePem(), NOTHING_REVOKED, NOW);

        assertThat(verification.outcome()).isEqualTo(Outcome.WRONG_USAGE);
        assertThat(verification.message()).contains("CA certificate");
    }

    @Test
    void garbageIsMalformed() {
        for (String garbage : new String[] {null, "", "not pem", agent.csrPem(),
            Pem.encode(Pem.CERTIFICATE, new byte[] {0x30, 0x00})}) {
            CertificateVerification verification = ca.verify(garbage, NOTHING_REVOKED, NOW);
            assertThat(verification.outcome()).as(String.valueOf(garbage)).isEqualTo(Outcome.MALFORMED);
            assertThat(verification.serial()).isNull();
        }
    }
}
