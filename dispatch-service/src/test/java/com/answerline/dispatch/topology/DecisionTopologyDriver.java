package com.answerline.dispatch.topology;

import java.nio.file.Path;
import java.time.Instant;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.ReplyCancellation;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SessionState;
import com.answerline.dispatch.config.DispatchProperties;
import com.answerline.dispatch.config.HoldProperties;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.schemas.topic.Topics;
import com.answerline.platform.testing.ProductionTopologyDriver;
import com.answerline.platform.upstream.UpstreamGuard;
import com.answerline.platform.upstream.UpstreamRules;

/**
 * The production topology with the production Streams settings (dead-letter handlers included) and application.yml,
 * over an in-memory registry, in the platform's {@link ProductionTopologyDriver}.
 */
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
    private final ProductionTopologyDriver production;

    DecisionTopologyDriver(Path stateDir, MutableClock clock, Instant wallClockStart, String registryScope) {
        DispatchProperties inStateDir = new DispatchProperties(properties.safetyMargin(),
                properties.sessionCatchUpTimeout(), properties.unknownConversationGrace(), properties.tenants(),
                properties.whatsapp(), properties.sms(),
                new DispatchProperties.Streams(properties.streams().applicationId(), stateDir), properties.jwt());
        production = new ProductionTopologyDriver(registryScope, inStateDir.streamsApp(),
                serdeConfig -> new DecisionTopology(new ChannelDecider(clock, properties.safetyMargin()),
                        ProductionConfig.tenants()::rules, clock, properties.sessionCatchUpTimeout(),
                        properties.unknownConversationGrace(), hold.expireAfter(), hold.checkInterval(),
                        new HoldMetrics(meters), serdeConfig,
                        // The production guard but for the partition count: the test driver reads every topic as
                        // partition 0.
                        new UpstreamGuard.Settings(new UpstreamRules(ProductionConfig.tenantDirectory(), clock), 1, meters))
                        .build(),
                wallClockStart);
        driver = production.driver();

        sessions = production.input(Topics.CONVERSATION_SESSIONS);
        commands = production.input(Topics.REPLY_COMMANDS);
        senderOutcomes = production.input(Topics.DISPATCH_OUTCOMES);
        cancellations = production.input(Topics.REPLY_CANCELLATIONS);
        sendRequests = production.output(Topics.SEND_REQUESTS);
        outcomes = production.output(Topics.DISPATCH_OUTCOMES);
        deadCommands = production.deadLetterOutput(Topics.REPLY_COMMANDS);
        deadCancellations = production.deadLetterOutput(Topics.REPLY_CANCELLATIONS);
    }

    /** The rule header of a dead letter. */
    static String rule(org.apache.kafka.streams.test.TestRecord<?, ?> deadLetter) {
        return new String(deadLetter.headers().lastHeader(UpstreamGuard.RULE_HEADER).value(),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        production.close();
    }
}
