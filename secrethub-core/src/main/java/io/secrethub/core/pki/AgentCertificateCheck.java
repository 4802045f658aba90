package io.secrethub.core.pki;

import io.secrethub.core.CertificateVerification.Outcome;
import io.secrethub.core.CertificateVerification;
import java.math.BigInteger;
import java.time.Instant;
import java.util.function.Predicate;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;

/** The checks behind {@link CertificateAuthority#verify}, cheapest first. */
final class AgentCertificateCheck {

    private AgentCertificateCheck() {
    }

    static CertificateVerification check(X509CertificateHolder leaf, CertificateAuthority ca,
            Predicate<BigInteger> isRevoked, Instant now) {
        BigInteger serial = leaf.getSerialNumber();
        X509CertificateHolder caCertificate = ca.certificateHolder();
        if (!caCertificate.getSubject().equals(leaf.getIssuer())) {
            return CertificateVerification.refused(Outcome.UNTRUSTED, "not issued by this CA", serial);
        }
        if (!ca.signed(leaf)) {
            return CertificateVerification.refused(Outcome.UNTRUSTED,
                    "signature does not verify with this CA's key", serial);
        }
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isBefore(notBefore)) {
            return CertificateVerification.refused(Outcome.NOT_YET_VALID, "not valid before " + notBefore, serial);
        }
        if (now.isAfter(notAfter)) {
            return CertificateVerification.refused(Outcome.EXPIRED, "expired at " + notAfter, serial);
        }
        String agentId;
        try {
            agentId = agentIdOf(leaf);
        } catch (IllegalArgumentException e) {
            return CertificateVerification.refused(Outcome.WRONG_USAGE, e.getMessage(), serial);
        }
        if (isRevoked.test(serial)) {
            return CertificateVerification.refused(Outcome.REVOKED, "certificate serial " + serial.toString(16)
                    + " of agent " + agentId + " is revoked", serial);
        }
        return CertificateVerification.valid(agentId, serial, notAfter);
    }

    /**
     * The agent id from a certificate this CA signed, after checking it is an agent client
     * certificate. The usage checks matter even for our own signatures: the CA certificate itself
     * is signed by the CA key and must not pass as an agent.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    private static String agentIdOf(X509CertificateHolder leaf) {
        Extensions extensions = leaf.getExtensions();
        if (extensions == null) {
            throw new IllegalArgumentException("not an agent certificate: no extensions");
        }
        BasicConstraints constraints = BasicConstraints.fromExtensions(extensions);
        if (constraints != null && constraints.isCA()) {
            throw new IllegalArgumentException("a CA certificate cannot authenticate an agent");
        }
        ExtendedKeyUsage usage = ExtendedKeyUsage.fromExtensions(extensions);
        if (usage == null || !usage.hasKeyPurposeId(KeyPurposeId.id_kp_clientAuth)) {
            throw new IllegalArgumentException("not a client certificate: no clientAuth extended key usage");
        }
        String uri = null;
        GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        if (names != null) {
            for (GeneralName name : names.getNames()) {
                if (name.getTagNo() == GeneralName.uniformResourceIdentifier) {
                    if (uri != null) {
                        throw new IllegalArgumentException("more than one URI in the subject alternative names");
                    }
                    uri = ((ASN1String) name.getName()).getString();
                }
            }
        }
        if (uri == null || !uri.startsWith(AgentIds.URI_PREFIX)) {
            throw new IllegalArgumentException("no " + AgentIds.URI_PREFIX + "<id> subject alternative name");
        }
        String agentId = uri.substring(AgentIds.URI_PREFIX.length());
        if (!AgentIds.isValid(agentId)) {
            throw new IllegalArgumentException("invalid agent id in the subject alternative name");
        }
        if (!agentId.equals(commonName(leaf))) {
            throw new IllegalArgumentException("subject CN and agent URI disagree");
        }
        return agentId;
    }

    private static String commonName(X509CertificateHolder certificate) {
        RDN[] rdns = certificate.getSubject().getRDNs(BCStyle.CN);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            return null;
        }
        AttributeTypeAndValue first = rdns[0].getFirst();
        return first.getValue() instanceof ASN1String ? ((ASN1String) first.getValue()).getString() : null;
    }
}
