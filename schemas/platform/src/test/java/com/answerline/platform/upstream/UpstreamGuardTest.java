package com.answerline.platform.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.answerline.avro.InboundMessage;
import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.serde.SchemaRegistryClients;
import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/**
 * The guard in a TopologyTestDriver, which reads every topic as partition 0: a key whose conversation lives on
 * another of 6 partitions is therefore misplaced here, and its forwarded copy (the driver feeds what is written to a
 * source topic back in) shows the loop guard too.
 */
class UpstreamGuardTest {

    private static final String SCOPE = "upstream-guard-test";
    private static final Topic<InboundMessage> TOPIC = Topics.INBOUND_MESSAGES;
    private static final String ON_PARTITION_ZERO = "100000000000001:15557373878";

    private final MeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, InboundMessage> input;
    private TestOutputTopic<String, InboundMessage> accepted;
    private TestOutputTopic<String, InboundMessage> deadLetters;
    private TestOutputTopic<String, InboundMessage> sameTopic;

    @BeforeEach
    void start() {
        startGuard(6);
    }

    /** The guard of a deployment with {@code partitions} conversation partitions, in a fresh driver. */
    private void startGuard(int partitions) {
        Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE);
        Serde<InboundMessage> serde = TOPIC.valueSerde(serdeConfig);
        StreamsBuilder builder = new StreamsBuilder();
        UpstreamGuard.guard(builder.stream(TOPIC.name(), Consumed.with(TOPIC.keySerde(), serde)), TOPIC, serde,
                        new UpstreamGuard.Settings(new UpstreamRules(UpstreamRulesTest.TENANTS,
                                Clock.fixed(UpstreamRulesTest.NOW, ZoneOffset.UTC)), partitions, meters))
                .to("accepted", Produced.with(TOPIC.keySerde(), serde));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "guard-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        driver = new TopologyTestDriver(builder.build(), config, UpstreamRulesTest.NOW);
        input = driver.createInputTopic(TOPIC.name(), new StringSerializer(), serde.serializer());
        accepted = driver.createOutputTopic("accepted", TOPIC.keySerde().deserializer(), serde.deserializer());
        deadLetters = driver.createOutputTopic(TOPIC.deadLetter(), TOPIC.keySerde().deserializer(), serde.deserializer());
        sameTopic = driver.createOutputTopic(TOPIC.name(), TOPIC.keySerde().deserializer(), serde.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
        SchemaRegistryClients.dropMockScope(SCOPE);
    }

    @Test
    void shouldPassOnAValidRecordOnItsConversationsPartition() {
        assertThat(ConversationPartitioner.partitionOf(ON_PARTITION_ZERO, 6)).isZero();
        InboundMessage message = UpstreamRulesTest.inbound(ON_PARTITION_ZERO).build();

        input.pipeInput(ON_PARTITION_ZERO, message);

        assertThat(accepted.readValuesToList()).containsExactly(message);
        assertThat(deadLetters.isEmpty()).isTrue();
        assertThat(sameTopic.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterAnInvalidRecordWithRuleFieldAndOriginAndProcessTheOneBehindIt() {
        String unowned = "999999999999999:15557373878";
        InboundMessage invalid = UpstreamRulesTest.inbound(unowned).setPhoneNumberId("999999999999999").build();
        InboundMessage good = UpstreamRulesTest.inbound(ON_PARTITION_ZERO).build();

        input.pipeInput(unowned, invalid);
        input.pipeInput(ON_PARTITION_ZERO, good);

        TestRecord<String, InboundMessage> dead = deadLetters.readRecord();
        assertThat(dead.value()).isEqualTo(invalid);
        assertThat(header(dead, UpstreamGuard.RULE_HEADER)).isEqualTo("UNKNOWN_BUSINESS_NUMBER");
        assertThat(header(dead, UpstreamGuard.FIELD_HEADER)).isEqualTo("conversationId");
        assertThat(header(dead, UpstreamGuard.ORIGINAL_TOPIC_HEADER)).isEqualTo(TOPIC.name());
        assertThat(dead.headers().lastHeader(UpstreamGuard.ORIGINAL_OFFSET_HEADER)).isNotNull();
        assertThat(accepted.readValuesToList()).containsExactly(good);
        assertThat(meters.get(UpstreamGuard.REJECTED_METRIC).tags("topic", TOPIC.name(), "rule", "UNKNOWN_BUSINESS_NUMBER")
                .counter().count()).isEqualTo(1.0);
        // every other rule's counter is there at 0 (so increase() sees a first dead letter)
        assertThat(meters.get(UpstreamGuard.REJECTED_METRIC).tags("topic", TOPIC.name(), "rule", "FIELD_TOO_LONG")
                .counter().count()).isZero();
    }

    @Test
    void shouldForwardAMisplacedRecordOnceToItsConversationsPartitionAndNeverAgain() {
        String elsewhere = keyNotOnPartitionZero();
        InboundMessage message = UpstreamRulesTest.inbound(elsewhere).build();

        input.pipeInput(elsewhere, message);

        // Written again to the same topic, under the same key (so Java's partitioner places it), marked as forwarded.
        TestRecord<String, InboundMessage> forwarded = sameTopic.readRecord();
        assertThat(forwarded.key()).isEqualTo(elsewhere);
        assertThat(forwarded.value()).isEqualTo(message);
        assertThat(header(forwarded, UpstreamGuard.FORWARDED_FROM_HEADER)).isEqualTo("0");
        assertThat(sameTopic.isEmpty()).isTrue();
        assertThat(meters.get(UpstreamGuard.FORWARDED_METRIC).tags("topic", TOPIC.name()).counter().count()).isEqualTo(1.0);
        // The driver has one partition, so the copy is still misplaced: the loop guard dead-letters it, never a second hop.
        TestRecord<String, InboundMessage> dead = deadLetters.readRecord();
        assertThat(header(dead, UpstreamGuard.RULE_HEADER)).isEqualTo("MISPLACED_AFTER_FORWARD");
        assertThat(header(dead, UpstreamGuard.FIELD_HEADER)).isEqualTo("partition");
        assertThat(accepted.isEmpty()).isTrue();
    }

    @Test
    void shouldTellAReaderThatDoesNotGuardTheTopicWhichRecordsToSkip() {
        UpstreamGuard.Settings settings = new UpstreamGuard.Settings(new UpstreamRules(UpstreamRulesTest.TENANTS,
                Clock.fixed(UpstreamRulesTest.NOW, ZoneOffset.UTC)), 6, meters);
        String elsewhere = keyNotOnPartitionZero();
        int owner = ConversationPartitioner.partitionOf(elsewhere, 6);

        assertThat(UpstreamGuard.accepts(settings, elsewhere, UpstreamRulesTest.inbound(elsewhere).build(), owner)).isTrue();
        assertThat(UpstreamGuard.accepts(settings, elsewhere, UpstreamRulesTest.inbound(elsewhere).build(), 0)).isFalse();
        assertThat(UpstreamGuard.accepts(settings, "x", UpstreamRulesTest.inbound(elsewhere).build(), owner)).isFalse();
    }

    @Test
    void shouldPlaceRecordsByTheDeploymentsPartitionCountNotTheDefault() {
        // Given the guard of a deployment with 24 conversation partitions
        driver.close();
        startGuard(24);
        // a conversation on partition 0 of 6 but not of 24, and one on partition 0 of 24
        String zeroOfSixOnly = key(k -> ConversationPartitioner.partitionOf(k, 6) == 0
                && ConversationPartitioner.partitionOf(k, 24) != 0);
        String zeroOfTwentyFour = key(k -> ConversationPartitioner.partitionOf(k, 24) == 0);

        // When both arrive on partition 0 (the driver's only one)
        input.pipeInput(zeroOfSixOnly, UpstreamRulesTest.inbound(zeroOfSixOnly).build());
        input.pipeInput(zeroOfTwentyFour, UpstreamRulesTest.inbound(zeroOfTwentyFour).build());

        // Then the one owned by partition 0 of 24 is processed; the other, which the default count would have
        // accepted here, is forwarded to its partition of 24
        assertThat(accepted.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(zeroOfTwentyFour);
        assertThat(sameTopic.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(zeroOfSixOnly);
    }

    private static String key(java.util.function.Predicate<String> wanted) {
        return IntStream.range(0, 10_000).mapToObj(i -> "100000000000001:1555123" + String.format("%04d", i))
                .filter(wanted).findFirst().orElseThrow();
    }

    private static String keyNotOnPartitionZero() {
        return IntStream.range(0, 100).mapToObj(i -> "100000000000001:155512300" + String.format("%02d", i))
                .filter(key -> ConversationPartitioner.partitionOf(key, 6) != 0)
                .findFirst().orElseThrow();
    }

    private static String header(TestRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

}
