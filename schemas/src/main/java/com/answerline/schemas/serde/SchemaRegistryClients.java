package com.answerline.schemas.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One caching client per registry URL, shared by every serializer of the process (as Confluent's serdes
 * share theirs). {@code mock://<scope>} gives an in-memory registry shared by everything using that scope,
 * for unit tests, as Confluent's serdes do.
 */
public final class SchemaRegistryClients {

    private static final String MOCK_PREFIX = "mock://";
    private static final Map<String, SchemaRegistryClient> CLIENTS = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {
    }

    public static SchemaRegistryClient forUrl(String url) {
        return CLIENTS.computeIfAbsent(url, u -> u.startsWith(MOCK_PREFIX)
                ? new InMemorySchemaRegistry()
                : new CachedSchemaRegistryClient(u));
    }

    /** Forgets the in-memory registry of a {@code mock://} scope. */
    public static void dropMockScope(String scope) {
        CLIENTS.remove(MOCK_PREFIX + scope);
    }

    static boolean isMock(String url) {
        return url.startsWith(MOCK_PREFIX);
    }
}
