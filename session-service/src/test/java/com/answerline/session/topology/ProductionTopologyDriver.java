package com.answerline.session.topology;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import com.answerline.platform.routing.PeerTransport;
import com.answerline.avro.Channel;
import com.answerline.avro.InboundMessage;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.topic.Topic;
import com.answerline.platform.upstream.UpstreamGuard;
import com.answerline.platform.upstream.UpstreamRules;
import com.answerline.session.config.SessionServiceProperties;
import com.answerline.session.config.SessionThreadProperties;
import com.answerline.session.thread.ThreadLimits;

/**
 * The production topology with the production Streams configuration (application.yml's values, a mock registry)
 * in the platform's {@link com.answerline.platform.testing.ProductionTopologyDriver}, for the topology tests.
 */
final class ProductionTopologyDriver implements AutoCloseable {

    /** The defaults of application.yml. */
    static final Duration EXPIRING_LEAD = Duration.ofHours(1);
    static final Duration TIMER_INTERVAL = Duration.ofSeconds(1);

    private final com.answerline.platform.testing.ProductionTopologyDriver production;
    private final java.util.concurrent.atomic.AtomicReference<org.apache.kafka.streams.Topology> topology =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * @param deadLetters      receives what the dead-letter publisher sends
     * @param clock            the fold's clock ({@code updatedAt})
     * @param initialWallClock the driver's wall clock, which drives the timers
     */
    ProductionTopologyDriver(Path dataDir, String registryScope, MockProducer<byte[], byte[]> deadLetters, Clock clock,
                             MeterRegistry meters, Instant initialWallClock) {
        this(dataDir, registryScope, deadLetters, clock, meters, initialWallClock, SessionThreadProperties.DEFAULTS.limits());
    }

    /** @param thread what the threads keep (application.yml's defaults in the other constructor) */
    ProductionTopologyDriver(Path dataDir, String registryScope, MockProducer<byte[], byte[]> deadLetters, Clock clock,
                             MeterRegistry meters, Instant initialWallClock, ThreadLimits thread) {
        SessionServiceProperties properties = new SessionServiceProperties(dataDir,
                new SessionServiceProperties.Kafka((short) 1, true),
                new SessionServiceProperties.Streams("session-service", 0, 1, Duration.ofMillis(100), null),
                new SessionServiceProperties.Dedup(Duration.ofDays(7)),
                new SessionServiceProperties.Timers(EXPIRING_LEAD, TIMER_INTERVAL),
                new SessionServiceProperties.Routing(Duration.ofSeconds(1), Duration.ofSeconds(5),
                        new PeerTransport("http", null)),
                null);
        this.production = new com.answerline.platform.testing.ProductionTopologyDriver(registryScope,
                properties.streamsApp(),
                serdeConfig -> topology.updateAndGet(built -> SessionTopology.build(new StreamsBuilder(),
                        new SessionTopology.Settings(serdeConfig, properties.dedup().retention(), clock,
                                properties.timers().expiringLead(), properties.timers().interval(), meters,
                                upstreamGuard(clock, meters), thread))),
                initialWallClock, deadLetters);
    }

    /** The demo tenants of application.yml. */
    static final TenantDirectory TENANTS = new TenantDirectory(List.of(
            new BusinessNumber("demo", "100000000000001", "15550000001", "200000000000001"),
            new BusinessNumber("other", "100000000000002", "15550000002", "200000000000002")));

    /**
     * The production guard but for the partition count: the test driver reads every topic as one partition, so
     * nothing is ever misplaced here (forwarding is tested on a real broker and with a mock processor context).
     */
    static UpstreamGuard.Settings upstreamGuard(Clock clock, MeterRegistry meters) {
        return new UpstreamGuard.Settings(new UpstreamRules(TENANTS, clock), 1, meters);
    }

    /** The production topology the driver runs. */
    org.apache.kafka.streams.Topology topology() {
        return topology.get();
    }

    TopologyTestDriver driver() {
        return production.driver();
    }

    <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic) {
        return production.input(topic);
    }

    <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic) {
        return production.output(topic);
    }

    /** A customer's WhatsApp text of the demo tenant, received two seconds after it was sent. */
    static InboundMessage.Builder whatsApp(String conversationId, String wamid, Instant sentAt) {
        return InboundMessage.newBuilder()
                .setTenantId("demo")
                .setConversationId(conversationId)
                .setPhoneNumberId("100000000000001")
                .setChannel(Channel.WHATSAPP)
                .setMessageId(wamid)
                .setCustomerPhone("15551230001")
                .setCustomerBsuid("US.13491208655302741918")
                .setCustomerProfileName("Ada")
                .setType("text")
                .setText("hello")
                .setSentAt(sentAt)
                .setReceivedAt(sentAt.plusSeconds(2));
    }

    @Override
    public void close() {
        production.close();
    }
}
