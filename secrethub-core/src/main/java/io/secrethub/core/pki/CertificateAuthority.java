package io.secrethub.core.pki;

import io.secrethub.core.CaKeyType;
import io.secrethub.core.CertificateVerification;
import io.secrethub.core.InvalidRequestException;
import io.secrethub.core.crypto.Randoms;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.function.Predicate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * SecretHub's internal CA: a self-signed root that issues agent client certificates from PKCS#10
 * requests and verifies them.
 *
 * <p>Instances are immutable and thread-safe; one instance serves all concurrent registrations.
 * The private key lives in this object only; persist it with {@link #privateKeyPkcs8()} encrypted
 * under the keyring, and restore it with {@link #load}.
 *
 * <p>Errors in caller input (a bad request, an invalid agent id, a bad TTL) are
 * {@link InvalidRequestException}s; stored CA material that does not form a usable CA is an
 * {@link IllegalArgumentException}, since that is corruption rather than a bad request.
 */
public final class CertificateAuthority {

    /** Lifetime of an agent certificate when the caller does not choose one. */
    public static final Duration DEFAULT_AGENT_TTL = Duration.ofDays(30);
    /** Lifetime of a newly created CA when the caller does not choose one. */
    public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(10 * 365);
    /** Common name of a newly created CA when the caller does not choose one. */
    public static final String DEFAULT_CA_NAME = "SecretHub Internal CA";

    /** Certificates start this much before they are issued, so a peer whose clock lags still accepts them. */
    static final Duration BACKDATE = Duration.ofMinutes(1);

    private final CaKeyType keyType;
    private final PrivateKey privateKey;
    /**
     * BouncyCastle's form of the CA key, kept for verifying: BC caches the EC point's multiplication
     * tables on the key object, which halves the cost of every later verification.
     */
    private final PublicKey publicKey;
    private final X509CertificateHolder certificate;
    private final X509Certificate jdkCertificate;
    private final String certificatePem;
    private final AuthorityKeyIdentifier authorityKeyId;
    private final Instant notBefore;
    private final Instant notAfter;

    private CertificateAuthority(CaKeyType keyType, PrivateKey privateKey, X509CertificateHolder certificate) {
        this.keyType = keyType;
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.jdkCertificate = toJdk(encoded(certificate));
        this.publicKey = bouncyCastleKey(certificate.getSubjectPublicKeyInfo());
        this.certificatePem = Pem.encode(Pem.CERTIFICATE, encoded(certificate));
        this.authorityKeyId = extensionUtils().createAuthorityKeyIdentifier(certificate.getSubjectPublicKeyInfo());
        this.notBefore = certificate.getNotBefore().toInstant();
        this.notAfter = certificate.getNotAfter().toInstant();
    }

    /** Creates a CA with a new key of {@code keyType}, the default name and a ten-year validity from now. */
    public static CertificateAuthority create(CaKeyType keyType) {
        return create(keyType, DEFAULT_CA_NAME, DEFAULT_CA_VALIDITY, Instant.now());
    }

    /**
     * Creates a CA with a new key and a self-signed root certificate: basicConstraints CA with path
     * length 0 (it signs agents, never other CAs), keyUsage keyCertSign and cRLSign, and a subject
     * key identifier.
     *
     * @param keyType    EC P-256 (the default) or RSA 3072
     * @param commonName the CA's subject CN, 1 to 64 printable characters
     * @param validity   how long the root is valid
     * @param now        the creation time
     */
    public static CertificateAuthority create(CaKeyType keyType, String commonName, Duration validity, Instant now) {
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(now, "now");
        requirePositive(validity, "CA validity");
        X500Name subject = caName(commonName);
        KeyPair keyPair = generateKeyPair(keyType);
        SubjectPublicKeyInfo publicKeyInfo = SubjectPublicKeyInfo.getInstance(keyPair.getPublic().getEncoded());
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(subject, randomSerial(),
                Date.from(start.minus(BACKDATE)), Date.from(start.plus(validity)), subject, publicKeyInfo);
        JcaX509ExtensionUtils utils = extensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(publicKeyInfo))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            utils.createAuthorityKeyIdentifier(publicKeyInfo));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode CA certificate extensions", e);
        }
        X509CertificateHolder root = builder.build(signer(keyType, keyPair.getPrivate()));
        return new CertificateAuthority(keyType, keyPair.getPrivate(), root);
    }

    /**
     * Restores a CA from its stored private key and certificate, checking that they belong
     * together and form a CA.
     *
     * @param privateKeyPkcs8 the key as returned by {@link #privateKeyPkcs8()}
     * @param certificatePem  the certificate as returned by {@link #certificatePem()}
     * @throws IllegalArgumentException if the material is not a matching, supported CA key and certificate
     */
    public static CertificateAuthority load(byte[] privateKeyPkcs8, String certificatePem) {
        Objects.requireNonNull(privateKeyPkcs8, "privateKeyPkcs8");
        X509CertificateHolder certificate;
        PrivateKey privateKey;
        try {
            certificate = new X509CertificateHolder(Pem.decodeSingle(certificatePem, Pem.CERTIFICATE));
            privateKey = new JcaPEMKeyConverter().setProvider(BouncyCastle.PROVIDER)
                    .getPrivateKey(PrivateKeyInfo.getInstance(privateKeyPkcs8));
        } catch (IOException | RuntimeException e) {
            // The cause is kept for debugging; its message is not copied, as it is about key bytes.
            throw new IllegalArgumentException("stored CA material is malformed (PEM certificate or PKCS#8 key)", e);
        }
        CaKeyType keyType = keyTypeOf(certificate.getSubjectPublicKeyInfo());
        BasicConstraints constraints = BasicConstraints.fromExtensions(certificate.getExtensions());
        KeyUsage usage = KeyUsage.fromExtensions(certificate.getExtensions());
        if (constraints == null || !constraints.isCA() || usage == null || !usage.hasUsages(KeyUsage.keyCertSign)) {
            throw new IllegalArgumentException("stored certificate is not a CA certificate (basicConstraints CA and "
                    + "keyCertSign required)");
        }
        CertificateAuthority ca = new CertificateAuthority(keyType, privateKey, certificate);
        if (!ca.signed(certificate)) {
            throw new IllegalArgumentException("stored CA certificate is not validly self-signed");
        }
        ca.requireKeyMatchesCertificate();
        return ca;
    }

    /**
     * The CA private key as PKCS#8 DER, for the caller to encrypt and store. A fresh copy each
     * call: overwrite it once it is encrypted.
     */
    public byte[] privateKeyPkcs8() {
        return privateKey.getEncoded();
    }

    /** The CA certificate, PEM. */
    public String certificatePem() {
        return certificatePem;
    }

    /** The CA certificate, for trust stores and path validation. */
    public X509Certificate certificate() {
        return jdkCertificate;
    }

    /** The CA's key type. */
    public CaKeyType keyType() {
        return keyType;
    }

    /** End of the CA certificate's validity; no agent certificate outlives it. */
    public Instant notAfter() {
        return notAfter;
    }

    /** Issues an agent certificate valid for {@link #DEFAULT_AGENT_TTL} from now. */
    public IssuedCertificate issueAgentCertificate(String csrPem, String agentId) {
        return issueAgentCertificate(csrPem, agentId, DEFAULT_AGENT_TTL, Instant.now());
    }

    /**
     * Verifies an agent's PKCS#10 request and issues its client certificate.
     *
     * <p>The request must carry an ECDSA P-256/P-384 or RSA 2048-8192 key, be signed by that key
     * with a SHA-2 signature, and have exactly one subject CN, equal to {@code agentId}. The
     * certificate has subject CN=agentId, a SAN URI {@code urn:secrethub:agent:<id>}, EKU clientAuth,
     * keyUsage digitalSignature, basicConstraints CA=false, subject and authority key ids, and a
     * random positive 159-bit serial. It is valid from {@code now} (backdated by a minute) for
     * {@code ttl}, cut short at the CA's own expiry.
     *
     * @param csrPem  the request, PEM ("CERTIFICATE REQUEST")
     * @param agentId the agent the caller is registering; must be a valid {@link AgentIds agent id}
     * @param ttl     the certificate lifetime, positive; {@code null} for the default (30 days)
     * @param now     the issuing time
     * @throws InvalidRequestException if the request, the id or the TTL is refused, or the CA is not
     *         valid at {@code now}
     */
    public IssuedCertificate issueAgentCertificate(String csrPem, String agentId, Duration ttl, Instant now) {
        Objects.requireNonNull(now, "now");
        AgentIds.requireValid(agentId);
        Duration lifetime = ttl == null ? DEFAULT_AGENT_TTL : ttl;
        if (lifetime.isZero() || lifetime.isNegative()) {
            throw new InvalidRequestException("certificate TTL must be positive, got " + lifetime);
        }
        SubjectPublicKeyInfo agentKey = AgentCsr.verifiedPublicKey(csrPem, agentId);

        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        Instant validFrom = latest(start.minus(BACKDATE), notBefore);
        Instant validUntil = earliest(start.plus(lifetime), notAfter);
        if (start.isBefore(notBefore) || !validUntil.isAfter(start)) {
            throw new InvalidRequestException("the CA is not valid at " + start + " (valid " + notBefore + " to "
                    + notAfter + "); it cannot issue certificates");
        }
        BigInteger serial = randomSerial();
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(certificate.getSubject(), serial,
                Date.from(validFrom), Date.from(validUntil), agentName(agentId), agentKey);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                            new GeneralName(GeneralName.uniformResourceIdentifier, AgentIds.uri(agentId))))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId)
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensionUtils().createSubjectKeyIdentifier(agentKey));
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode agent certificate extensions", e);
        }
        X509CertificateHolder leaf = builder.build(signer(keyType, privateKey));
        String leafPem = Pem.encode(Pem.CERTIFICATE, encoded(leaf));
        return new IssuedCertificate(agentId, serial, validFrom, validUntil, leafPem, leafPem + certificatePem);
    }

    /**
     * Verifies a certificate an agent presents: issued and signed by this CA, within its validity
     * at {@code now}, an agent client certificate (not a CA, EKU clientAuth, one agent SAN URI that
     * agrees with the subject CN) and not revoked.
     *
     * <p>Checks run cheapest-first and {@code isRevoked} is consulted last, so a forged or expired
     * certificate never costs a revocation lookup.
     *
     * @param certPem   the agent certificate, PEM; if it is a chain, the first certificate is
     *                  verified and the others are ignored (this CA is the only trust anchor)
     * @param isRevoked answers whether a serial is revoked; its exceptions propagate (fail closed)
     * @param now       the verification time
     * @return the outcome, naming the agent when valid
     */
    public CertificateVerification verify(String certPem, Predicate<BigInteger> isRevoked, Instant now) {
        Objects.requireNonNull(isRevoked, "isRevoked");
        Objects.requireNonNull(now, "now");
        X509CertificateHolder leaf;
        try {
            leaf = new X509CertificateHolder(Pem.decode(certPem, Pem.CERTIFICATE).get(0));
        } catch (IOException | RuntimeException e) {
            // Pem throws InvalidRequestException; BouncyCastle throws IOException or IllegalArgumentException.
            return CertificateVerification.refused(CertificateVerification.Outcome.MALFORMED,
                    "not a parseable X.509 certificate", null);
        }
        return AgentCertificateCheck.check(leaf, this, isRevoked, now);
    }

    /** Verifies a certificate at the current time. */
    public CertificateVerification verify(String certPem, Predicate<BigInteger> isRevoked) {
        return verify(certPem, isRevoked, Instant.now());
    }

    X509CertificateHolder certificateHolder() {
        return certificate;
    }

    /** Whether {@code holder} carries a valid signature by this CA's key. */
    boolean signed(X509CertificateHolder holder) {
        try {
            return holder.isSignatureValid(new JcaContentVerifierProviderBuilder()
                    .setProvider(BouncyCastle.PROVIDER).build(publicKey));
        } catch (OperatorCreationException | CertException | RuntimeException e) {
            // An algorithm mismatch between the certificate and the key is simply "not signed by it".
            return false;
        }
    }

    /** Signs a probe with the private key and checks it with the certificate's key. */
    private void requireKeyMatchesCertificate() {
        byte[] probe = "secrethub-ca-key-check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature sign = Signature.getInstance(keyType.signatureAlgorithm(), BouncyCastle.PROVIDER);
            sign.initSign(privateKey, Randoms.secureRandom());
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature check = Signature.getInstance(keyType.signatureAlgorithm(), BouncyCastle.PROVIDER);
            check.initVerify(publicKey);
            check.update(probe);
            if (check.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("stored CA private key is unusable: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("stored CA private key does not match the CA certificate");
    }

    private static PublicKey bouncyCastleKey(SubjectPublicKeyInfo key) {
        try {
            return new JcaPEMKeyConverter().setProvider(BouncyCastle.PROVIDER).getPublicKey(key);
        } catch (IOException e) {
            throw new IllegalArgumentException("CA certificate key cannot be decoded", e);
        }
    }

    private static CaKeyType keyTypeOf(SubjectPublicKeyInfo key) {
        ASN1ObjectIdentifier algorithm = key.getAlgorithm().getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)
                && SECObjectIdentifiers.secp256r1.equals(key.getAlgorithm().getParameters())) {
            return CaKeyType.EC_P256;
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
            try {
                if (RSAPublicKey.getInstance(key.parsePublicKey()).getModulus()
                        .bitLength() == CaKeyType.RSA_3072.keySize()) {
                    return CaKeyType.RSA_3072;
                }
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("stored CA certificate has a malformed RSA key", e);
            }
        }
        throw new IllegalArgumentException("stored CA certificate key is neither EC P-256 nor RSA 3072");
    }

    private static KeyPair generateKeyPair(CaKeyType keyType) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyType.keyAlgorithm(), BouncyCastle.PROVIDER);
            if (keyType.curve() != null) {
                generator.initialize(new ECGenParameterSpec(keyType.curve()), Randoms.secureRandom());
            } else {
                generator.initialize(keyType.keySize(), Randoms.secureRandom());
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + keyType + " key pair", e);
        }
    }

    /**
     * A signer per certificate: {@link ContentSigner}s hold a stateful {@link Signature}, so one
     * cannot be shared between threads, and building one is cheap next to the signature itself.
     */
    private static ContentSigner signer(CaKeyType keyType, PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(keyType.signatureAlgorithm())
                    .setProvider(BouncyCastle.PROVIDER)
                    .setSecureRandom(Randoms.secureRandom())
                    .build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot create a " + keyType.signatureAlgorithm() + " signer", e);
        }
    }

    /**
     * A random serial of up to 159 bits: positive and at most 20 octets in DER, as RFC 5280
     * requires, and unguessable, so colliding or predicting a serial is infeasible.
     */
    static BigInteger randomSerial() {
        BigInteger serial;
        do {
            serial = new BigInteger(159, Randoms.secureRandom());
        } while (serial.signum() == 0);
        return serial;
    }

    /** SHA-1 key identifiers (RFC 5280 method 1); a new instance per use, since its digest is stateful. */
    private static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 is unavailable for key identifiers", e);
        }
    }

    private static X500Name caName(String commonName) {
        if (commonName == null || commonName.isBlank() || commonName.length() > AgentIds.MAX_LENGTH
                || !commonName.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new InvalidRequestException("CA common name must be 1 to " + AgentIds.MAX_LENGTH
                    + " printable ASCII characters");
        }
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    static X500Name agentName(String agentId) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, agentId).build();
    }

    private static byte[] encoded(X509CertificateHolder holder) {
        try {
            return holder.getEncoded();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a certificate", e);
        }
    }

    private static X509Certificate toJdk(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the JDK cannot parse the CA certificate", e);
        }
    }

    private static void requirePositive(Duration duration, String what) {
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw new InvalidRequestException(what + " must be positive, got " + duration);
        }
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    @Override
    public String toString() {
        // Never the key: this may end up in a log line.
        return "CertificateAuthority[" + keyType + ", " + certificate.getSubject() + ", until " + notAfter + "]";
    }
}
