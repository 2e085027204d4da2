package io.quanta.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Extra certificate authorities for https and S3 endpoints (a private MinIO, an internal model server), given
 * as a PKCS12/JKS truststore or a PEM bundle. They are trusted in addition to the JDK's default authorities;
 * verification is never switched off.
 */
final class TrustMaterial {
    private TrustMaterial() {}

    static X509TrustManager trustManager(Path trustStore, char[] password) {
        try {
            KeyStore extra = load(trustStore, password);
            X509TrustManager custom = managerFor(extra);
            X509TrustManager defaults = managerFor(null);
            return new Both(custom, defaults);
        } catch (IOException | GeneralSecurityException e) {
            throw new StorageException("cannot read the truststore " + trustStore + ": " + e.getMessage(), e);
        }
    }

    static SSLContext sslContext(X509TrustManager tm) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {tm}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make a TLS context", e);
        }
    }

    private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file");
        }
        try {
            return KeyStore.getInstance(file.toFile(), password); // PKCS12 or JKS, detected from the content
        } catch (KeyStoreException | IOException notAKeyStore) {
            // Not a keystore: read it as PEM certificates (the usual CA bundle of a Kubernetes ConfigMap).
            Collection<? extends java.security.cert.Certificate> certs;
            try (InputStream in = Files.newInputStream(file)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            } catch (CertificateException e) {
                throw new IOException("neither a PKCS12/JKS truststore nor PEM certificates", e);
            }
            if (certs.isEmpty()) {
                throw new IOException("no certificates in it");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (var c : certs) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            return ks;
        }
    }

    private static X509TrustManager managerFor(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        for (TrustManager tm : f.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager");
    }

    /** Trusts a chain that either the extra authorities or the JDK's defaults trust. */
    private record Both(X509TrustManager extra, X509TrustManager defaults) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                extra.checkClientTrusted(chain, authType);
            } catch (CertificateException e) {
                defaults.checkClientTrusted(chain, authType);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                extra.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                defaults.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(extra.getAcceptedIssuers()));
            all.addAll(List.of(defaults.getAcceptedIssuers()));
            return all.toArray(X509Certificate[]::new);
        }
    }
}
