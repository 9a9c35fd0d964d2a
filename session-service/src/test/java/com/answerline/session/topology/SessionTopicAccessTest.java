package com.answerline.session.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.TopicAccess;

/**
 * The declaration the deployment's Kafka ACLs are written from ({@link TopicAccess#SESSION}) against the production
 * topology: the topics it reads are the fold's sources, the topics it writes (its own, the guard's forwards, dead
 * letters) are its sinks. A source or sink added without the declaration would be refused by the broker in a
 * cluster with ACLs.
 */
class SessionTopicAccessTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldReadAndWriteExactlyTheDeclaredTopics() {
        // Given the production topology
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        try (ProductionTopologyDriver driver = new ProductionTopologyDriver(dataDir, "session-topic-access",
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                Clock.fixed(now, ZoneOffset.UTC), new SimpleMeterRegistry(), now)) {
            Set<String> sources = new TreeSet<>();
            Set<String> sinks = new TreeSet<>();
            for (TopologyDescription.Subtopology subtopology : driver.topology().describe().subtopologies()) {
                for (TopologyDescription.Node node : subtopology.nodes()) {
                    if (node instanceof TopologyDescription.Source source) {
                        sources.addAll(source.topicSet());
                    } else if (node instanceof TopologyDescription.Sink sink) {
                        sinks.add(sink.topic());
                    }
                }
            }

            // Then its sources are what it declares it reads, its sinks among what it may write, and it writes every
            // topic it declares as its own or forwards
            TopicAccess declared = TopicAccess.SESSION;
            assertThat(sources).containsExactlyInAnyOrderElementsOf(
                    declared.reads().stream().map(Topic::name).toList());
            assertThat(declared.writeTopics()).containsAll(sinks);
            assertThat(sinks).containsAll(declared.writes().stream().map(Topic::name).toList())
                    .containsAll(declared.forwards().stream().map(Topic::name).toList());
            assertThat(declared.applicationId()).isEqualTo("session-service");
        }
    }
}
