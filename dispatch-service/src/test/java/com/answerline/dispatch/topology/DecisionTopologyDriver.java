package com.answerline.dispatch.topology;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.avro.specific.SpecificRecord;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.ReplyCancellation;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SessionState;
import com.answerline.dispatch.config.DecisionStreamsConfig;
import com.answerline.dispatch.config.DispatchProperties;
import com.answerline.dispatch.config.HoldProperties;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.schemas.serde.SchemaRegistryClients;
import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;
import com.answerline.platform.upstream.UpstreamGuard;
import com.answerline.platform.upstream.UpstreamRules;

/** The production topology with the production Streams settings and application.yml, over an in-memory registry. */
final class DecisionTopologyDriver implements AutoCloseable {

    final DispatchProperties properties = ProductionConfig.dispatchProperties();
    final HoldProperties hold = ProductionConfig.holdProperties();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<String, SessionState> sessions;
    final TestInputTopic<String, ReplyCommand> commands;
    /** What the sender publishes (e.g. the invitation's HELD outcome). */
    final TestInputTopic<String, DispatchOutcome> senderOutcomes;
    final TestInputTopic<String, ReplyCancellation> cancellations;
    final TestOutputTopic<String, SendRequest> sendRequests;
    final TestOutputTopic<String, DispatchOutcome> outcomes;
    /** The upstream guard's dead letters. */
    final TestOutputTopic<String, ReplyCommand> deadCommands;
    final TestOutputTopic<String, ReplyCancellation> deadCancellations;
    private final String registryScope;

    DecisionTopologyDriver(Path stateDir, MutableClock clock, Instant wallClockStart, String registryScope) {
        this.registryScope = registryScope;
        KafkaProperties kafka = new KafkaProperties();
        kafka.getProperties().put("schema.registry.url", "mock://" + registryScope);
        Map<String, Object> serdeConfig = DecisionStreamsConfig.serdeConfig(kafka);

        DecisionTopology topology = new DecisionTopology(new ChannelDecider(clock, properties.safetyMargin()),
                ProductionConfig.tenants()::rules, clock, properties.sessionCatchUpTimeout(), properties.unknownConversationGrace(),
                hold.expireAfter(), hold.checkInterval(), new HoldMetrics(meters), serdeConfig,
                // The production guard but for the partition count: the test driver reads every topic as partition 0.
                new UpstreamGuard.Settings(new UpstreamRules(ProductionConfig.tenantDirectory(), clock), 1, meters));
        Properties config = new Properties();
        config.putAll(DecisionStreamsConfig.streamsProperties(kafka, properties));
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology.build(), config, wallClockStart);

        sessions = input(Topics.CONVERSATION_SESSIONS, serdeConfig);
        commands = input(Topics.REPLY_COMMANDS, serdeConfig);
        senderOutcomes = input(Topics.DISPATCH_OUTCOMES, serdeConfig);
        cancellations = input(Topics.REPLY_CANCELLATIONS, serdeConfig);
        sendRequests = output(Topics.SEND_REQUESTS, serdeConfig);
        outcomes = output(Topics.DISPATCH_OUTCOMES, serdeConfig);
        deadCommands = driver.createOutputTopic(Topics.REPLY_COMMANDS.deadLetter(), Topics.REPLY_COMMANDS.keySerde().deserializer(),
                Topics.REPLY_COMMANDS.valueSerde(serdeConfig).deserializer());
        deadCancellations = driver.createOutputTopic(Topics.REPLY_CANCELLATIONS.deadLetter(),
                Topics.REPLY_CANCELLATIONS.keySerde().deserializer(), Topics.REPLY_CANCELLATIONS.valueSerde(serdeConfig).deserializer());
    }

    /** The rule header of a dead letter. */
    static String rule(org.apache.kafka.streams.test.TestRecord<?, ?> deadLetter) {
        return new String(deadLetter.headers().lastHeader(UpstreamGuard.RULE_HEADER).value(),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    private <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic, Map<String, Object> serdeConfig) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde(serdeConfig).serializer());
    }

    private <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic, Map<String, Object> serdeConfig) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde(serdeConfig).deserializer());
    }

    @Override
    public void close() {
        driver.close();
        SchemaRegistryClients.dropMockScope(registryScope);
    }
}
