package com.answerline.schemas.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One caching client per registry URL and security settings (credentials, TLS), shared by every serializer of the
 * process (as Confluent's serdes share theirs); two configurations naming the same URL with other credentials get
 * clients of their own. {@code mock://<scope>} gives an in-memory registry shared by everything using that scope,
 * for unit tests, as Confluent's serdes do; credentials and TLS settings do not apply to it.
 */
public final class SchemaRegistryClients {

    private static final String MOCK_PREFIX = "mock://";
    private static final Map<Key, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

    /** What makes two clients interchangeable; its passwords compare by value and print hidden. */
    private record Key(String url, RegistryAuth auth, RegistryTls tls) {
    }

    private SchemaRegistryClients() {
    }

    /** The client of the configuration's registry URL, credentials and TLS settings. */
    public static SchemaRegistryClient forConfig(AvroSerdeConfig config) {
        return CLIENTS.computeIfAbsent(new Key(config.registryUrl(), config.auth(), config.tls()),
                key -> isMock(key.url())
                        ? new InMemorySchemaRegistry()
                        : new CachedSchemaRegistryClient(key.url(), key.auth(), key.tls()));
    }

    /**
     * The client of a URL alone: no TLS settings, and basic credentials only from a {@code user:password@} in the
     * URL ({@code basic.auth.credentials.source=URL}).
     */
    public static SchemaRegistryClient forUrl(String url) {
        return forConfig(AvroSerdeConfig.from(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, url,
                RegistryAuth.BASIC_AUTH_CREDENTIALS_SOURCE, "URL"), false));
    }

    /** Forgets the in-memory registry of a {@code mock://} scope. */
    public static void dropMockScope(String scope) {
        CLIENTS.remove(new Key(MOCK_PREFIX + scope, RegistryAuth.NONE, RegistryTls.DEFAULT));
    }

    static boolean isMock(String url) {
        return url.startsWith(MOCK_PREFIX);
    }
}
