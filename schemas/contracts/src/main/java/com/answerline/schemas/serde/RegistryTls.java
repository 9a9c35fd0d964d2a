package com.answerline.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * TLS towards an {@code https://} registry, read from Confluent's {@code schema.registry.ssl.*} names (Kafka's
 * {@code ssl.*} settings under the registry client's prefix): a trust store for the registry's certificate, a key
 * store for a client certificate (mutual TLS), both JKS (Kafka's default) or PKCS12. Without any of them the
 * JVM's default trust applies. Other {@code schema.registry.ssl.*} settings (protocols, cipher suites, PEM) are not
 * supported and are refused rather than ignored. Passwords are {@link Password}s: {@link #toString()} hides them.
 *
 * @param verifyHostname {@code schema.registry.ssl.endpoint.identification.algorithm}: {@code https} (default) checks
 *                       that the certificate names the registry's host; empty skips that check (the certificate
 *                       chain is still checked against the trust store)
 */
public record RegistryTls(String truststoreLocation, Password truststorePassword, String truststoreType,
                          String keystoreLocation, Password keystorePassword, String keystoreType, Password keyPassword,
                          boolean verifyHostname) {

    public static final String PREFIX = "schema.registry.ssl.";
    public static final String TRUSTSTORE_LOCATION = PREFIX + "truststore.location";
    public static final String TRUSTSTORE_PASSWORD = PREFIX + "truststore.password";
    public static final String TRUSTSTORE_TYPE = PREFIX + "truststore.type";
    public static final String KEYSTORE_LOCATION = PREFIX + "keystore.location";
    public static final String KEYSTORE_PASSWORD = PREFIX + "keystore.password";
    public static final String KEYSTORE_TYPE = PREFIX + "keystore.type";
    public static final String KEY_PASSWORD = PREFIX + "key.password";
    public static final String ENDPOINT_IDENTIFICATION_ALGORITHM = PREFIX + "endpoint.identification.algorithm";

    private static final List<String> SUPPORTED = List.of(TRUSTSTORE_LOCATION, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE,
            KEYSTORE_LOCATION, KEYSTORE_PASSWORD, KEYSTORE_TYPE, KEY_PASSWORD, ENDPOINT_IDENTIFICATION_ALGORITHM);
    private static final String DEFAULT_TYPE = "JKS";

    /** The JVM's default trust, no client certificate, host names checked. */
    public static final RegistryTls DEFAULT = new RegistryTls(null, null, DEFAULT_TYPE, null, null, DEFAULT_TYPE, null, true);

    static RegistryTls from(Map<String, ?> configs) {
        for (String name : configs.keySet()) {
            if (name.startsWith(PREFIX) && !SUPPORTED.contains(name)) {
                throw new ConfigException(name + " is not supported by this serde; supported: " + SUPPORTED);
            }
        }
        String truststore = text(configs, TRUSTSTORE_LOCATION);
        Password truststorePassword = password(configs, TRUSTSTORE_PASSWORD);
        String keystore = text(configs, KEYSTORE_LOCATION);
        Password keystorePassword = password(configs, KEYSTORE_PASSWORD);
        Password keyPassword = password(configs, KEY_PASSWORD);
        requireLocation(truststore, TRUSTSTORE_LOCATION, truststorePassword, TRUSTSTORE_PASSWORD);
        requireLocation(keystore, KEYSTORE_LOCATION, keystorePassword, KEYSTORE_PASSWORD);
        requireLocation(keystore, KEYSTORE_LOCATION, keyPassword, KEY_PASSWORD);
        if (keystore != null && keystorePassword == null) {
            throw new ConfigException(KEYSTORE_PASSWORD + " is required with " + KEYSTORE_LOCATION);
        }
        return new RegistryTls(truststore, truststorePassword, type(configs, TRUSTSTORE_TYPE),
                keystore, keystorePassword, type(configs, KEYSTORE_TYPE), keyPassword, verifyHostname(configs));
    }

    private static void requireLocation(String location, String locationName, Password password, String passwordName) {
        if (location == null && password != null) {
            throw new ConfigException(passwordName + " is set but " + locationName + " is not");
        }
    }

    private static String type(Map<String, ?> configs, String name) {
        String type = text(configs, name);
        if (type == null) {
            return DEFAULT_TYPE;
        }
        try {
            KeyStore.getInstance(type);
        } catch (KeyStoreException e) {
            throw new ConfigException(name, type, "unknown key store type; use JKS or PKCS12");
        }
        return type.toUpperCase(Locale.ROOT);
    }

    private static boolean verifyHostname(Map<String, ?> configs) {
        Object value = configs.get(ENDPOINT_IDENTIFICATION_ALGORITHM);
        if (value == null || value.toString().trim().equalsIgnoreCase("https")) {
            return true;
        }
        if (value.toString().isBlank()) {
            return false;
        }
        throw new ConfigException(ENDPOINT_IDENTIFICATION_ALGORITHM, value,
                "expected https (check the host name) or empty (do not)");
    }

    /** True when nothing is configured: the HTTP client's default TLS applies. */
    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /**
     * The context for the registry's connections, from the stores. A store that cannot be read, or a wrong
     * password, is a {@link ConfigException} naming the property.
     */
    SSLContext sslContext() {
        try {
            KeyManager[] keyManagers = null;
            if (keystoreLocation != null) {
                KeyStore keys = load(KEYSTORE_LOCATION, keystoreLocation, keystoreType, keystorePassword, KEYSTORE_PASSWORD);
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                try {
                    factory.init(keys, (keyPassword != null ? keyPassword : keystorePassword).value().toCharArray());
                } catch (UnrecoverableKeyException e) {
                    throw new ConfigException("cannot recover the private key of " + KEYSTORE_LOCATION + " "
                            + keystoreLocation + ": wrong " + KEY_PASSWORD + " (or " + KEYSTORE_PASSWORD + ")");
                }
                keyManagers = factory.getKeyManagers();
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(truststoreLocation == null ? null
                    : load(TRUSTSTORE_LOCATION, truststoreLocation, truststoreType, truststorePassword, TRUSTSTORE_PASSWORD));
            TrustManager[] trustManagers = trust.getTrustManagers();
            if (!verifyHostname) {
                for (int i = 0; i < trustManagers.length; i++) {
                    if (trustManagers[i] instanceof X509ExtendedTrustManager checked) {
                        trustManagers[i] = new AnyHostTrustManager(checked);
                    }
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("cannot set up TLS for the schema registry: " + e);
        }
    }

    private static KeyStore load(String name, String location, String type, Password password, String passwordName)
            throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password == null ? null : password.value().toCharArray());
            return store;
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, location, "no such file");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new ConfigException(passwordName + " does not open " + name + " " + location + " (wrong password)");
            }
            throw new ConfigException(name, location, "cannot be read as a " + type + " key store: " + e.getMessage());
        }
    }

    private static String text(Map<String, ?> configs, String name) {
        Object value = configs.get(name);
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }

    private static Password password(Map<String, ?> configs, String name) {
        Object value = configs.get(name);
        if (value instanceof Password password) {
            return password.value() == null || password.value().isEmpty() ? null : password;
        }
        return value == null || value.toString().isEmpty() ? null : new Password(value.toString());
    }

    /**
     * Checks the chain against the trust store but not the host name (endpoint identification off). Extends
     * {@link X509ExtendedTrustManager} so that JSSE does not wrap it in its own host-name check.
     */
    private static final class AnyHostTrustManager extends X509ExtendedTrustManager {

        private final X509ExtendedTrustManager delegate;

        AnyHostTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
