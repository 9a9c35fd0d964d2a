package com.answerline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.io.FileSystemResource;

class KafkaClientsTest {

    /** spring.kafka.* as an operator of a managed cluster with SASL/SCRAM over TLS sets it. */
    private static KafkaProperties securedCluster() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of("broker-1.example.com:9096"));
        kafka.getSecurity().setProtocol("SASL_SSL");
        kafka.getSsl().setTrustStoreLocation(new FileSystemResource("/etc/answerline/kafka-ca.p12"));
        kafka.getSsl().setTrustStorePassword("local-dev-truststore-password");
        kafka.getProperties().put("sasl.mechanism", "SCRAM-SHA-512");
        kafka.getProperties().put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        kafka.getProperties().put("client.rack", "eu-west-1a");
        kafka.getProperties().put("schema.registry.url", "https://registry.example.com");
        kafka.getProperties().put("basic.auth.credentials.source", "USER_INFO");
        kafka.getConsumer().setIsolationLevel(KafkaProperties.IsolationLevel.READ_COMMITTED);
        kafka.getStreams().setApplicationId("ignored-the-service-sets-its-own");
        return kafka;
    }

    @Test
    void shouldGiveEveryKindOfClientTheClustersServersTlsAndSasl() {
        KafkaProperties kafka = securedCluster();

        for (Map<String, Object> client : List.of(KafkaClients.producer(kafka), KafkaClients.consumer(kafka),
                KafkaClients.admin(kafka), KafkaClients.streams(kafka))) {
            assertThat(client)
                    .containsEntry("bootstrap.servers", List.of("broker-1.example.com:9096"))
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("client.rack", "eu-west-1a")
                    .containsEntry("ssl.truststore.location", "/etc/answerline/kafka-ca.p12")
                    .containsEntry("ssl.truststore.password", "local-dev-truststore-password");
        }
    }

    @Test
    void shouldLayerThePerClientSectionsOnTop() {
        KafkaProperties kafka = securedCluster();

        assertThat(KafkaClients.consumer(kafka)).containsEntry("isolation.level", "read_committed");
        assertThat(KafkaClients.producer(kafka)).doesNotContainKey("isolation.level");
    }

    @Test
    void shouldGiveTheSerdesTheRegistrySettingsOfSpringKafkaProperties() {
        assertThat(KafkaClients.serde(securedCluster()))
                .containsEntry("schema.registry.url", "https://registry.example.com")
                .containsEntry("basic.auth.credentials.source", "USER_INFO");
    }

    @Test
    void shouldHandEachCallerAMapOfItsOwn() {
        KafkaProperties kafka = securedCluster();
        Map<String, Object> first = KafkaClients.producer(kafka);
        first.put("acks", "0");

        assertThat(KafkaClients.producer(kafka)).doesNotContainEntry("acks", "0");
    }
}
