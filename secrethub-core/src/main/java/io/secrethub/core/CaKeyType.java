package io.secrethub.core;

/** The key type of the internal CA. */
public enum CaKeyType {

    /** ECDSA on NIST P-256 with SHA-256: small certificates and the fastest signing. The default. */
    EC_P256("EC", "secp256r1", 256, "SHA256withECDSA"),

    /** RSA 3072 (about 128-bit security, like P-256) with SHA-256 PKCS#1 v1.5 signatures. */
    RSA_3072("RSA", null, 3072, "SHA256withRSA");

    private final String keyAlgorithm;
    private final String curve;
    private final int keySize;
    private final String signatureAlgorithm;

    CaKeyType(String keyAlgorithm, String curve, int keySize, String signatureAlgorithm) {
        this.keyAlgorithm = keyAlgorithm;
        this.curve = curve;
        this.keySize = keySize;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The JCA key algorithm name ("EC" or "RSA"). */
    public String keyAlgorithm() {
        return keyAlgorithm;
    }

    /** The JCA signature algorithm the CA signs certificates with. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** The key size in bits (the field size for EC). */
    public int keySize() {
        return keySize;
    }

    /** The JCA name of the curve for EC keys ({@code "secp256r1"}), {@code null} for RSA. */
    public String curve() {
        return curve;
    }
}
