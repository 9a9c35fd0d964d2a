package com.answerline.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key pairs and self-signed certificates made at test time by the running JDK's {@code keytool}, and the stores
 * built from them with the JDK's {@link KeyStore}:
 * <ul>
 *   <li>{@link #serverKeys}: the registry's key, its certificate naming IP 127.0.0.1 (PKCS12);</li>
 *   <li>{@link #otherHostKeys}: a key whose certificate names only {@code registry.elsewhere.test} (PKCS12);</li>
 *   <li>{@link #clientKeys}: a client key (JKS) whose key password ({@link #KEY_PASSWORD}) differs from the store's;</li>
 *   <li>{@link #truststoreJks} / {@link #truststoreP12}: both server certificates, as the client's trust store;</li>
 *   <li>{@link #clientTruststore}: the client's certificate, as the server's trust store (mutual TLS).</li>
 * </ul>
 */
final class TlsMaterial {

    static final String STORE_PASSWORD = "store-pass-1";
    static final String KEY_PASSWORD = "client-key-pass-2";

    final Path serverKeys;
    final Path otherHostKeys;
    final Path clientKeys;
    final Path truststoreJks;
    final Path truststoreP12;
    final Path clientTruststore;

    private TlsMaterial(Path dir) throws IOException, GeneralSecurityException {
        serverKeys = keyPair(dir, "server", "PKCS12", STORE_PASSWORD, "CN=registry.test", "SAN=ip:127.0.0.1");
        otherHostKeys = keyPair(dir, "other", "PKCS12", STORE_PASSWORD, "CN=registry.elsewhere.test",
                "SAN=dns:registry.elsewhere.test");
        clientKeys = keyPair(dir, "client", "JKS", KEY_PASSWORD, "CN=serde-client", null);
        truststoreJks = trustStore(dir.resolve("truststore.jks"), "JKS", serverKeys, otherHostKeys);
        truststoreP12 = trustStore(dir.resolve("truststore.p12"), "PKCS12", serverKeys, otherHostKeys);
        clientTruststore = trustStore(dir.resolve("client-trust.p12"), "PKCS12", clientKeys);
    }

    static TlsMaterial create(Path dir) throws IOException, GeneralSecurityException {
        return new TlsMaterial(dir);
    }

    /** A server-side context: the given key store, and the given trust store for client certificates (or none). */
    static SSLContext serverContext(Path keys, Path clientTrust) throws IOException, GeneralSecurityException {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(load(keys), STORE_PASSWORD.toCharArray());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(clientTrust == null ? null : load(clientTrust));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static Path keyPair(Path dir, String alias, String type, String keyPassword, String dname, String san)
            throws IOException {
        Path store = dir.resolve(alias + (type.equals("JKS") ? ".jks" : ".p12"));
        List<String> command = new ArrayList<>(List.of(keytool(), "-genkeypair", "-noprompt", "-alias", alias,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", dname,
                "-keystore", store.toString(), "-storetype", type,
                "-storepass", STORE_PASSWORD, "-keypass", keyPassword));
        if (san != null) {
            command.addAll(List.of("-ext", san));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", command.subList(1, command.size()))
                        + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for keytool", e);
        } finally {
            process.destroyForcibly();
        }
        return store;
    }

    private static Path trustStore(Path file, String type, Path... keyStores) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance(type);
        trust.load(null, null);
        for (Path keys : keyStores) {
            KeyStore store = load(keys);
            String alias = store.aliases().nextElement();
            Certificate certificate = store.getCertificate(alias);
            trust.setCertificateEntry(alias, certificate);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, STORE_PASSWORD.toCharArray());
        }
        return file;
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, STORE_PASSWORD.toCharArray());
        }
        return store;
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }
}
