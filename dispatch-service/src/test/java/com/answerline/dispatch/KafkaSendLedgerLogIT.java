package com.answerline.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import com.answerline.avro.SendLedgerEntry;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendState;
import com.answerline.dispatch.send.KafkaSendLedgerLog;
import com.answerline.dispatch.send.SendLedger;
import com.answerline.dispatch.support.DispatchItStack;
import com.answerline.schemas.serde.KafkaAvroDeserializer;
import com.answerline.schemas.serde.KafkaAvroSerializer;
import com.answerline.schemas.testing.LoopbackKafkaBroker;

/**
 * The send ledger's log on a real broker, read back for several partitions at once (as a restarted sender catches up
 * with its whole assignment): each entry reaches the sink with its own partition, each partition is read from its own
 * position to its own end, and a partition with nothing on it ends where it began.
 */
class KafkaSendLedgerLogIT {

    static final String TOPIC = "send-ledger-one-pass-it";
    static final String REGISTRY = "mock://send-ledger-one-pass-it";

    static LoopbackKafkaBroker broker;
    static DefaultKafkaProducerFactory<String, SendLedgerEntry> producers;
    static KafkaSendLedgerLog log;

    @BeforeAll
    static void start() throws Exception {
        broker = LoopbackKafkaBroker.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        producers = new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class,
                "schema.registry.url", REGISTRY));
        KafkaConsumer<String, Object> reader = new KafkaConsumer<>(KafkaSendLedgerLog.readerProperties(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, KafkaAvroDeserializer.class,
                "schema.registry.url", REGISTRY,
                "specific.avro.reader", true)));
        log = new KafkaSendLedgerLog(TOPIC, null, new KafkaTemplate<>(producers), reader, Duration.ofSeconds(30),
                new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() throws Exception {
        DispatchItStack.closeAll(() -> log.destroy(), producers::destroy, broker);
    }

    @Test
    void shouldReadSeveralPartitionsInOnePassEachEntryWithItsPartitionFromItsPositionToItsEnd() {
        // Given two sends logged on partition 0, three on partition 2, none on partition 1
        SendLedger writer = new SendLedger(log);
        List<SendRequest> first = List.of(request("4915100000201"), request("4915100000202"));
        List<SendRequest> third = List.of(request("4915100000203"), request("4915100000204"), request("4915100000205"));
        first.forEach(request -> writer.sending(0, request, Instant.now()));
        third.forEach(request -> writer.sending(2, request, Instant.now()));

        // When the three partitions are read together, partition 2 from its second entry on
        List<String> seen = new ArrayList<>();
        Map<Integer, Long> next = log.replayAll(Map.of(0, 0L, 1, 0L, 2, 1L), (partition, key, entry) -> {
            assertThat(entry.getState()).isEqualTo(SendState.SENDING);
            seen.add(partition + ":" + key);
        });

        // Then each partition ends at its own end, and each entry came with the partition it was logged on
        assertThat(next).isEqualTo(Map.of(0, 2L, 1, 0L, 2, 3L));
        assertThat(seen).containsExactlyInAnyOrder(
                "0:" + first.get(0).getCommandId(), "0:" + first.get(1).getCommandId(),
                "2:" + third.get(1).getCommandId(), "2:" + third.get(2).getCommandId());
        // And a new owner's ledger, reading its assignment, knows what was logged where
        SendLedger owner = new SendLedger(log);
        owner.parkedHeads(List.of(0, 1, 2));
        assertThat(owner.entryOf(2, SendLedger.key(third.get(0))).getState()).isEqualTo(SendState.SENDING);
        assertThat(owner.entryOf(0, SendLedger.key(first.get(1))).getState()).isEqualTo(SendState.SENDING);
    }

    private static SendRequest request(String phone) {
        return DispatchItStack.openWindowRequest(phone);
    }
}
