package com.answerline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;
import org.springframework.kafka.support.KafkaHeaders;

import com.answerline.schemas.topic.Topics;

class DeadLettersTest {

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    @Test
    void shouldSendTheRawRecordToItsTopicsTwinOnTheSamePartitionWithTheCause() {
        byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);

        DeadLetters.recoverer(new KafkaTemplate<>(new MockProducerFactory<>(() -> producer))).accept(
                new ConsumerRecord<>(Topics.INBOUND_MESSAGES.name(), 4, 17L, "k".getBytes(StandardCharsets.UTF_8), poison),
                new IllegalStateException("unknown magic byte"));

        assertThat(producer.history()).singleElement().satisfies(dead -> {
            assertThat(dead.topic()).isEqualTo(Topics.INBOUND_MESSAGES.deadLetter());
            assertThat(dead.partition()).isEqualTo(4);
            assertThat(dead.value()).isEqualTo(poison);
            assertThat(new String(dead.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value(),
                    StandardCharsets.UTF_8)).contains("unknown magic byte");
        });
    }

    @Test
    void shouldUseTheCataloguesTwinOrNameDltForATopicTheCatalogueDoesNotDeclare() {
        assertThat(Topics.deadLetterOf("dispatch-outcomes")).isEqualTo(Topics.DISPATCH_OUTCOMES.deadLetter());
        assertThat(Topics.deadLetterOf("dispatch-send-ledger")).isEqualTo("dispatch-send-ledger-dlt");
    }
}
