package com.answerline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.answerline.avro.WindowEvent;
import com.answerline.schemas.serde.ApicurioRegistryExtension.ApicurioRegistry;

/** The registry client against the real registry (Apicurio's Confluent API): ids, look-ups and its error answers. */
@ExtendWith(ApicurioRegistryExtension.class)
class CachedSchemaRegistryClientIT {

    @Test
    void shouldRegisterLookUpAndFetchByIdConsistently(ApicurioRegistry registry) {
        CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(registry.ccompatUrl());
        Schema schema = WindowEvent.getClassSchema();

        int id = client.register("client-it-window-events-value", schema);

        CachedSchemaRegistryClient fresh = new CachedSchemaRegistryClient(registry.ccompatUrl());
        assertThat(fresh.getId("client-it-window-events-value", schema)).isEqualTo(id);
        assertThat(fresh.getById(id)).isEqualTo(schema);
        assertThat(fresh.getLatest("client-it-window-events-value").id()).isEqualTo(id);
        assertThat(fresh.isCompatible("client-it-window-events-value", schema)).isTrue();
    }

    @Test
    void shouldGiveEveryConcurrentFirstRegistrationOfASubjectTheSameId(ApicurioRegistry registry) throws Exception {
        // Given several clients (request threads of services) registering a new subject's first version at once:
        // Apicurio answers the losers 409 "artifact already exists"
        Schema schema = SchemaBuilder.record("Concurrent").namespace("com.answerline.it").fields()
                .requiredString("a").endRecord();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Integer>> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(threads.submit(() -> {
                    start.await();
                    return new CachedSchemaRegistryClient(registry.ccompatUrl()).register("client-it-concurrent-value", schema);
                }));
            }
            start.countDown();

            // Then every one of them gets the one id
            java.util.Set<Integer> distinct = new java.util.HashSet<>();
            for (java.util.concurrent.Future<Integer> id : ids) {
                distinct.add(id.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void shouldReportAnUnknownSchemaIdAs40403(ApicurioRegistry registry) {
        CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(registry.ccompatUrl());

        assertThatThrownBy(() -> client.getById(987654))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.retriable()).isFalse();
                });
    }

    @Test
    void shouldReportAnIncompatibleSchemaAs409UnderBackwardCompatibility(ApicurioRegistry registry) {
        // Given a subject with one version, and a next version adding a field without default
        CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(registry.ccompatUrl());
        Schema v1 = SchemaBuilder.record("Evolving").namespace("com.answerline.it").fields().requiredString("a").endRecord();
        Schema v2 = SchemaBuilder.record("Evolving").namespace("com.answerline.it").fields()
                .requiredString("a").requiredString("b").endRecord();
        client.register("client-it-evolving-value", v1);

        // When / Then
        assertThat(client.isCompatible("client-it-evolving-value", v2)).isFalse();
        assertThatThrownBy(() -> client.register("client-it-evolving-value", v2))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.retriable()).isFalse();
                });
    }

    @Test
    void shouldReportALookUpOfAnUnregisteredSubject(ApicurioRegistry registry) {
        CachedSchemaRegistryClient client = new CachedSchemaRegistryClient(registry.ccompatUrl());

        assertThatThrownBy(() -> client.getId("client-it-never-registered-value", WindowEvent.getClassSchema()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isIn(40401, 40403);
                    assertThat(e.retriable()).isFalse();
                });
    }
}
