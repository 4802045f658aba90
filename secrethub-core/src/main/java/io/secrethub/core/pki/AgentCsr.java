package io.secrethub.core.pki;

import io.secrethub.core.InvalidRequestException;
import java.io.IOException;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Validation of an agent's PKCS#10 request: well-formed, an acceptable key, a valid
 * proof-of-possession signature, and a subject naming the expected agent.
 *
 * <p>Only the public key is taken from a request. Its other subject attributes and any requested
 * extensions (a CA flag, extra SANs) are ignored: the CA builds every field of the certificate
 * itself, so a request cannot widen what it is granted.
 */
final class AgentCsr {

    /** A single CSR is at most a few kilobytes even with an 8192-bit RSA key. */
    static final int MAX_CSR_PEM_CHARS = 16 * 1024;

    private AgentCsr() {
    }

    /**
     * Returns the request's public key once every check has passed.
     *
     * @throws InvalidRequestException saying which check failed
     */
    static SubjectPublicKeyInfo verifiedPublicKey(String csrPem, String agentId) {
        if (csrPem != null && csrPem.length() > MAX_CSR_PEM_CHARS) {
            throw new InvalidRequestException("certificate request too long: " + csrPem.length()
                    + " characters, at most " + MAX_CSR_PEM_CHARS);
        }
        PKCS10CertificationRequest request = parse(Pem.decodeSingle(csrPem, Pem.CERTIFICATE_REQUEST));
        SubjectPublicKeyInfo key = request.getSubjectPublicKeyInfo();
        KeyRequirements.requireAcceptableKey(key);
        KeyRequirements.requireAcceptableSignature(key, request.getSignatureAlgorithm());
        requireValidSignature(request);
        requireSubject(request, agentId);
        return key;
    }

    private static PKCS10CertificationRequest parse(byte[] der) {
        try {
            return new PKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            // BouncyCastle throws IllegalArgumentException/ClassCastException on structurally wrong ASN.1.
            throw new InvalidRequestException("malformed certificate request: not a PKCS#10 structure");
        }
    }

    private static void requireValidSignature(PKCS10CertificationRequest request) {
        boolean valid;
        try {
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER)
                    .build(request.getSubjectPublicKeyInfo());
            valid = request.isSignatureValid(verifier);
        } catch (OperatorCreationException | PKCSException | RuntimeException e) {
            // A key that does not decode (e.g. a point off the curve) lands here too.
            valid = false;
        }
        if (!valid) {
            throw new InvalidRequestException(
                    "certificate request signature is invalid: the request was not signed by the key it carries");
        }
    }

    /** Requires exactly one CN attribute in the subject, equal to the agent id. */
    private static void requireSubject(PKCS10CertificationRequest request, String agentId) {
        String commonName = null;
        int commonNames = 0;
        for (RDN rdn : request.getSubject().getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (BCStyle.CN.equals(attribute.getType())) {
                    commonNames++;
                    if (attribute.getValue() instanceof ASN1String) {
                        commonName = ((ASN1String) attribute.getValue()).getString();
                    }
                }
            }
        }
        if (commonNames != 1 || commonName == null) {
            throw new InvalidRequestException("certificate request subject must hold exactly one common name (CN), "
                    + "found "
                    + commonNames);
        }
        if (!commonName.equals(agentId)) {
            throw new InvalidRequestException("certificate request subject CN " + AgentIds.describe(commonName)
                    + " does not match agent id " + AgentIds.describe(agentId));
        }
    }
}
