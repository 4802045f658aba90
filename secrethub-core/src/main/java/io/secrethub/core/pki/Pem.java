package io.secrethub.core.pki;

import io.secrethub.core.InvalidRequestException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM encoding and decoding (RFC 7468) over BouncyCastle's {@link PemReader}/{@link PemWriter}.
 *
 * <p>Decoding is meant for untrusted input: the text is size-limited before it is parsed and
 * every block must carry the expected label, so a private key pasted where a CSR belongs is refused
 * rather than silently skipped.
 */
public final class Pem {

    /** PEM label of an X.509 certificate. */
    public static final String CERTIFICATE = "CERTIFICATE";
    /** PEM label of a PKCS#10 certificate request. */
    public static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";
    /** PEM label of a PKCS#8 private key. */
    public static final String PRIVATE_KEY = "PRIVATE KEY";

    /** Upper bound on PEM text we parse; a chain of a few certificates is well under this. */
    public static final int MAX_PEM_CHARS = 64 * 1024;

    private Pem() {
    }

    /** Encodes DER bytes as one PEM block with the given label (lines of 64 characters, '\n' endings). */
    public static String encode(String label, byte[] der) {
        StringWriter text = new StringWriter(der.length * 4 / 3 + 80);
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(label, der));
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
        }
        return text.toString();
    }

    /** Encodes a certificate as PEM. */
    public static String encode(X509Certificate certificate) {
        try {
            return encode(CERTIFICATE, certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    /**
     * Decodes every PEM block in {@code pem}, requiring each to have {@code label}.
     *
     * @return the DER contents, in order; never empty
     * @throws InvalidRequestException if the text is too long, holds no block, a block is malformed
     *         or has another label
     */
    public static List<byte[]> decode(String pem, String label) {
        if (pem == null || pem.isBlank()) {
            throw new InvalidRequestException("expected PEM text with a " + label + " block, got nothing");
        }
        if (pem.length() > MAX_PEM_CHARS) {
            throw new InvalidRequestException("PEM text too long: " + pem.length() + " characters, at most "
                    + MAX_PEM_CHARS);
        }
        List<PemObject> objects = new ArrayList<>(2);
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                objects.add(block);
            }
        } catch (IOException | RuntimeException e) {
            // Bad base64 or a missing END line (IOException or DecoderException). BouncyCastle's message
            // is not repeated: the text may be a private key pasted into the wrong field.
            throw new InvalidRequestException("malformed PEM " + label + " text");
        }
        List<byte[]> blocks = new ArrayList<>(objects.size());
        for (PemObject block : objects) {
            if (!label.equals(block.getType())) {
                throw new InvalidRequestException("expected a PEM " + label + " block, found "
                        + AgentIds.describe(block.getType()));
            }
            blocks.add(block.getContent());
        }
        if (blocks.isEmpty()) {
            throw new InvalidRequestException("expected a PEM " + label + " block, found none");
        }
        return blocks;
    }

    /** Decodes exactly one PEM block with {@code label}. */
    public static byte[] decodeSingle(String pem, String label) {
        List<byte[]> blocks = decode(pem, label);
        if (blocks.size() != 1) {
            throw new InvalidRequestException("expected one PEM " + label + " block, found " + blocks.size());
        }
        return blocks.get(0);
    }

    /** Parses every certificate in a PEM chain with the JDK's {@link CertificateFactory}, in order. */
    public static List<X509Certificate> parseCertificates(String pem) {
        List<byte[]> blocks = decode(pem, CERTIFICATE);
        List<X509Certificate> certificates = new ArrayList<>(blocks.size());
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException e) {
            throw new InvalidRequestException("malformed certificate: " + e.getMessage());
        }
        return certificates;
    }

    /** Parses the first certificate of a PEM chain (the leaf, by convention). */
    public static X509Certificate parseCertificate(String pem) {
        return parseCertificates(pem).get(0);
    }
}
