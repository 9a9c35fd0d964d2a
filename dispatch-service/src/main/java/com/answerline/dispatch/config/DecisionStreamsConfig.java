package com.answerline.dispatch.config;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.annotation.KafkaStreamsDefaultConfiguration;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;

import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.topology.DecisionTopology;
import com.answerline.dispatch.topology.HoldMetrics;
import com.answerline.platform.kafka.KafkaClients;
import com.answerline.platform.streams.BoundedRocksDbMemory;
import com.answerline.platform.streams.DeadLetteringProcessingExceptionHandler;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.topic.Topics;
import com.answerline.platform.upstream.UpstreamContracts;
import com.answerline.platform.upstream.UpstreamGuard;
import com.answerline.platform.upstream.UpstreamRules;
import com.answerline.platform.streams.ThreadReplacementPolicy;

/** The decision topology on Kafka Streams, exactly-once, with undecodable input dead-lettered. */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
public class DecisionStreamsConfig {

    @Bean(name = KafkaStreamsDefaultConfiguration.DEFAULT_STREAMS_CONFIG_BEAN_NAME)
    KafkaStreamsConfiguration decisionStreamsConfig(KafkaProperties kafka, DispatchProperties properties,
                                                    DeadLetterPublishingRecoverer deadLetters) {
        Map<String, Object> config = new HashMap<>(streamsProperties(kafka, properties));
        config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                RecoveringDeserializationExceptionHandler.class);
        config.put(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER, deadLetters);
        // A well-formed record that makes a processor throw goes the same way, with the cause in headers.
        DeadLetteringProcessingExceptionHandler.configure(config, deadLetters);
        return new KafkaStreamsConfiguration(config);
    }

    /** A stream thread that dies is replaced, a bounded number of times (see {@link ThreadReplacementPolicy}). */
    @Bean
    StreamsBuilderFactoryBeanConfigurer threadReplacement() {
        return factoryBean -> factoryBean.setStreamsUncaughtExceptionHandler(ThreadReplacementPolicy.standard());
    }

    @Bean
    HoldMetrics holdMetrics(MeterRegistry meters) {
        return new HoldMetrics(meters);
    }

    /**
     * The upstream guard's settings, shared by the decision topology (which guards reply-commands and
     * reply-cancellations) and the sender (which skips what session-service guards on delivery-statuses).
     */
    @Bean
    UpstreamGuard.Settings upstreamGuard(TenantDirectory tenants, Clock clock, MeterRegistry meters) {
        return new UpstreamGuard.Settings(new UpstreamRules(tenants, clock),
                Topics.CONVERSATION_PARTITIONS, meters);
    }

    /**
     * Publishes the guarded topics' schemas (reply-commands, reply-cancellations) in the registry at start-up, off
     * the start-up thread, so upstream teams find the schema to write with.
     */
    @Bean
    ApplicationRunner upstreamContracts(KafkaProperties kafka) {
        return args -> UpstreamContracts.registerInBackground(serdeConfig(kafka),
                List.of(Topics.REPLY_COMMANDS, Topics.REPLY_CANCELLATIONS));
    }

    @Bean
    DecisionTopology decisionTopology(StreamsBuilder builder, ChannelDecider decider, DispatchProperties properties,
                                      TenantSettings tenants, HoldProperties hold, HoldMetrics holdMetrics, KafkaProperties kafka, Clock clock,
                                      UpstreamGuard.Settings upstreamGuard) {
        DecisionTopology topology = new DecisionTopology(decider, tenants::rules, clock,
                properties.sessionCatchUpTimeout(), properties.unknownConversationGrace(), hold.expireAfter(),
                hold.checkInterval(), holdMetrics, serdeConfig(kafka), upstreamGuard);
        topology.addTo(builder);
        return topology;
    }

    /**
     * The production Streams settings (also fed to TopologyTestDriver by the tests): exactly_once_v2, so a
     * decision, its SendRequest or outcome, and the consumed offset commit together.
     */
    public static Map<String, Object> streamsProperties(KafkaProperties kafka, DispatchProperties properties) {
        // spring.kafka.*: servers, TLS, SASL, registry settings, as for every client of every service.
        Map<String, Object> config = KafkaClients.streams(kafka);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, properties.streams().applicationId());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.STATE_DIR_CONFIG, properties.streams().stateDir().toString());
        // Pinned at the default, 0: a task with an empty conversation-sessions partition still fetches what the
        // broker already holds before it processes a command, and processes both inputs in timestamp order, so a
        // session published before the command (the rebalance case) is in the table when the command is decided.
        // A positive value would also wait for producers, but then every reply would idle that long whenever the
        // sessions partition is quiet (the normal case), and it still would not cover a session published later:
        // the unknown-conversation grace in the topology does. -1 would drop the timestamp ordering altogether.
        config.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L);
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, org.apache.kafka.common.serialization.Serdes.StringSerde.class);
        // One native-memory budget for all the stores (spring.kafka.properties."answerline.rocksdb.total.bytes").
        return BoundedRocksDbMemory.configure(config);
    }

    /** Registry settings for the Avro serdes (schema.registry.url, ...), from spring.kafka.properties. */
    public static Map<String, Object> serdeConfig(KafkaProperties kafka) {
        return KafkaClients.serde(kafka);
    }
}
