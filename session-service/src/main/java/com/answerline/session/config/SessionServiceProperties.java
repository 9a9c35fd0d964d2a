package com.answerline.session.config;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.answerline.platform.routing.PeerTransport;
import com.answerline.platform.security.AgentTokens;
import com.answerline.platform.streams.StreamsApp;
import com.answerline.session.window.WindowTimers;

/**
 * Everything session-service can be told, under {@code answerline.session}. Defaults (application.yml) are
 * the local stack's; every value can be overridden by environment (e.g. {@code ANSWERLINE_SESSION_DATADIR}).
 * How to reach Kafka and the schema registry (servers, TLS, SASL, registry URL and credentials) is Spring Boot's
 * {@code spring.kafka.*}, as in every service ({@code com.answerline.platform.kafka.KafkaClients}).
 *
 * @param dataDir        where this instance keeps local state (Streams' RocksDB stores under {@code state/})
 * @param kafka          topic creation and replication
 * @param streams        Kafka Streams application settings
 * @param dedup          how long event ids are remembered to drop redelivered copies
 * @param timers         window timers (EXPIRING lead, tick interval)
 * @param routing        how instances ask each other for the sessions they own (interactive queries over HTTP)
 * @param jwt            the agents' bearer tokens, relayed by the gateway: every API call must carry one (the same
 *                       identity provider, issuer and audience as the gateway's {@code answerline.ingest.jwt})
 */
@Validated
@ConfigurationProperties("answerline.session")
public record SessionServiceProperties(
        @NotNull Path dataDir,
        @Valid @NotNull Kafka kafka,
        @Valid @NotNull Streams streams,
        @Valid @NotNull Dedup dedup,
        @Valid @NotNull Timers timers,
        @Valid @NotNull @DefaultValue Routing routing,
        @Valid @NotNull AgentTokens.Settings jwt) {

    /**
     * The fold's Streams app (the platform's {@link StreamsApp} makes it the Streams configuration, for the application
     * and for the topology tests): exactly once, so a crash never loses or double-applies an event; state under
     * {@code dataDir/state}; the instance count, commit interval and {@code application.server} configured here. How
     * soon a dead instance's tasks move is the platform's, for every service ({@code answerline.kafka.membership}).
     */
    public StreamsApp streamsApp() {
        return StreamsApp.of(streams.applicationId(), StreamsApp.Guarantee.EXACTLY_ONCE_V2, dataDir.resolve("state"))
                .withReplicationFactor(kafka.replicationFactor())
                .withInstances(streams.numStandbyReplicas(), streams.numStreamThreads())
                .withCommitInterval(streams.commitInterval())
                .withApplicationServer(streams.applicationServer());
    }

    /**
     * @param replicationFactor of the topics this service declares and of Streams' internal topics
     * @param createTopics      declare the topics it reads and writes at start-up (idempotent)
     */
    public record Kafka(@Min(1) short replicationFactor, boolean createTopics) {
    }

    /**
     * @param applicationId      consumer group and prefix of the internal topics
     * @param numStandbyReplicas warm copies of each store on other instances, for fast fail-over
     * @param numStreamThreads   stream threads of this instance
     * @param commitInterval     exactly-once commit interval: latency from event to published state
     * @param applicationServer  host:port other instances use to reach this one for interactive queries
     */
    public record Streams(@NotBlank String applicationId, @Min(0) int numStandbyReplicas, @Min(1) int numStreamThreads,
                          @NotNull Duration commitInterval, String applicationServer) {
    }

    /** @param retention at least as long as providers redeliver (Meta: days) */
    public record Dedup(@NotNull Duration retention) {
    }

    /**
     * @param expiringLead EXPIRING is published this long before the window ends; more than 0, less than 24 h
     * @param interval     how often due deadlines are read: the timers' precision. A tick with nothing due is one
     *                     RocksDB seek per task, so a second costs nothing and keeps events within a second
     */
    public record Timers(@NotNull Duration expiringLead, @NotNull Duration interval) {
        public Timers {
            if (expiringLead != null) {
                WindowTimers.requireValidLead(expiringLead);
            }
            if (interval != null && (interval.isNegative() || interval.isZero())) {
                throw new IllegalArgumentException("timers.interval must be positive: " + interval);
            }
        }
    }

    /**
     * @param connectTimeout how long to wait for another instance to accept the connection; refused or timed out
     *                       answers 503 (the client retries, by then the group has usually moved the partitions)
     * @param readTimeout    how long another instance may take to answer one forwarded request
     * @param peers          http or https (with the bundle that trusts the peers' certificates) between instances
     */
    public record Routing(@NotNull @DefaultValue("1s") Duration connectTimeout,
                          @NotNull @DefaultValue("5s") Duration readTimeout,
                          @Valid @NotNull @DefaultValue PeerTransport peers) {
    }
}
