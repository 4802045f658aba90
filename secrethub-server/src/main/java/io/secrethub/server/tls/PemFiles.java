package io.secrethub.server.tls;

import io.secrethub.server.SettingsException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.util.io.pem.PemWriter;

/** PEM in and out: the operator's certificate chain and key, and certificates written for clients. */
public final class PemFiles {

    private PemFiles() {
    }

    /** Loads {@code SECRETHUB_TLS_CERT} (leaf first) and {@code SECRETHUB_TLS_KEY} (PKCS#8, SEC1 or PKCS#1). */
    public static ServerIdentity load(Path certFile, Path keyFile, String certSetting, String keySetting) {
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        try (Reader reader = Files.newBufferedReader(certFile, StandardCharsets.US_ASCII)) {
            chain.addAll(certificates(reader));
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new SettingsException(certSetting, "cannot read a PEM certificate chain from " + certFile);
        }
        if (chain.isEmpty()) {
            throw new SettingsException(certSetting, "no PEM certificate in " + certFile);
        }
        try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                key = converter.getPrivateKey(pair.getPrivateKeyInfo());
            } else if (object instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            }
        } catch (IOException | RuntimeException e) {
            key = null;
        }
        if (key == null) {
            throw new SettingsException(keySetting, "cannot read an unencrypted PEM private key from " + keyFile);
        }
        return new ServerIdentity(key, chain.toArray(new X509Certificate[0]), null);
    }

    /** Every certificate in PEM text, in order. */
    public static List<X509Certificate> certificates(Reader pem) throws IOException, CertificateException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(pem)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        }
        return certificates;
    }

    /** Every certificate in PEM text. */
    public static List<X509Certificate> certificates(String pem) {
        try {
            return certificates(new StringReader(pem));
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("not PEM certificates", e);
        }
    }

    /** One PEM block for {@code object} (a certificate or key). */
    public static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(new JcaMiscPEMGenerator(object));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM", e);
        }
        return out.toString();
    }

    public static String certificate(X509Certificate certificate) {
        return pem(certificate);
    }
}
