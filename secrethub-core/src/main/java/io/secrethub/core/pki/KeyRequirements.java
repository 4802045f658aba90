package io.secrethub.core.pki;

import io.secrethub.core.InvalidRequestException;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * Which agent keys and request signatures the CA accepts.
 *
 * <p>These checks run on the raw ASN.1 before any signature is verified, so a hostile request
 * cannot make the CA do expensive work (a 64k-bit modulus, a huge exponent) or run arithmetic on
 * attacker-chosen curve parameters (explicit parameters are how CVE-2020-0601 spoofed a curve).
 */
final class KeyRequirements {

    static final int MIN_RSA_BITS = 2048;
    /** Bounds the cost of verifying a request's RSA signature. */
    static final int MAX_RSA_BITS = 8192;

    private static final Set<ASN1ObjectIdentifier> ACCEPTED_CURVES =
            Set.of(SECObjectIdentifiers.secp256r1, SECObjectIdentifiers.secp384r1);

    private static final Set<ASN1ObjectIdentifier> EC_SIGNATURES = Set.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
            X9ObjectIdentifiers.ecdsa_with_SHA512);

    /** PKCS#1 v1.5 with SHA-2 only: SHA-1 and MD5 request signatures are refused. */
    private static final Set<ASN1ObjectIdentifier> RSA_SIGNATURES = Set.of(
            PKCSObjectIdentifiers.sha256WithRSAEncryption, PKCSObjectIdentifiers.sha384WithRSAEncryption,
            PKCSObjectIdentifiers.sha512WithRSAEncryption);

    private KeyRequirements() {
    }

    /** Refuses keys weaker than RSA 2048 or P-256, and key types other than RSA and EC on P-256/P-384. */
    static void requireAcceptableKey(SubjectPublicKeyInfo key) {
        ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
            ASN1Encodable parameters = key.getAlgorithm().getParameters();
            if (!(parameters instanceof ASN1ObjectIdentifier)) {
                throw new InvalidRequestException(
                        "EC public key must name its curve (P-256 or P-384); explicit or implicit curve parameters are "
                                + "not accepted");
            }
            if (!ACCEPTED_CURVES.contains(parameters)) {
                throw new InvalidRequestException("EC public key on curve " + parameters
                        + " is not accepted; use P-256 or P-384");
            }
        } else if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            RSAPublicKey rsa;
            try {
                rsa = RSAPublicKey.getInstance(key.parsePublicKey());
            } catch (IOException | IllegalArgumentException e) {
                throw new InvalidRequestException("malformed RSA public key");
            }
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw new InvalidRequestException("RSA public key of " + bits + " bits is not accepted; use "
                        + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " bits");
            }
            BigInteger exponent = rsa.getPublicExponent();
            if (!exponent.testBit(0) || exponent.compareTo(BigInteger.valueOf(3)) < 0 || exponent.bitLength() > 32) {
                throw new InvalidRequestException("RSA public exponent is not accepted; use an odd exponent from 3 to "
                        + "2^32 (65537 is usual)");
            }
        } else {
            throw new InvalidRequestException("public key algorithm " + algorithm
                    + " is not accepted; use ECDSA P-256/P-384 or RSA of at least " + MIN_RSA_BITS + " bits");
        }
    }

    /** Refuses request signatures that use a weak hash or do not fit the key's type. */
    static void requireAcceptableSignature(SubjectPublicKeyInfo key, AlgorithmIdentifier signature) {
        ASN1ObjectIdentifier keyAlgorithm = key.getAlgorithm().getAlgorithm();
        Set<ASN1ObjectIdentifier> accepted = X9ObjectIdentifiers.id_ecPublicKey.equals(keyAlgorithm)
                ? EC_SIGNATURES : RSA_SIGNATURES;
        if (!accepted.contains(signature.getAlgorithm())) {
            throw new InvalidRequestException("request signature algorithm " + signature.getAlgorithm()
                    + " is not accepted for this key; use ECDSA or RSA PKCS#1 v1.5 with SHA-256, SHA-384 or SHA-512");
        }
    }
}
