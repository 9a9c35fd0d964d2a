package com.answerline.ingest.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import com.answerline.platform.security.AgentTokens;
import com.answerline.platform.streams.StreamsApp;

/**
 * The whole configuration of ingest, validated at start-up (a missing secret fails the boot, not the first
 * webhook). Defaults for the local stack live in application.yml.
 */
@Validated
@ConfigurationProperties("answerline.ingest")
public record IngestProperties(
        @NotNull @Valid WhatsApp whatsapp,
        @NotNull @Valid Twilio twilio,
        @NotNull @Valid AgentTokens.Settings jwt,
        @NotNull @Valid Webhook webhook,
        @NotNull @Valid Kafka kafka,
        @NotNull Path dataDir,
        @NotNull @Valid Streams streams) {

    /**
     * Meta app: the verify token of the subscription handshake and the app secrets that sign webhooks.
     * Several secrets let a rotation run without dropping webhooks signed with the old one.
     */
    public record WhatsApp(@NotBlank String verifyToken, @NotEmpty List<@NotBlank String> appSecrets) {
    }

    /**
     * Twilio: the auth token signs callbacks; {@code publicBaseUrl} is the URL Twilio was told to call
     * (behind a proxy it differs from what this process sees, and the signature covers it).
     */
    public record Twilio(@NotBlank String authToken, @NotNull URI publicBaseUrl) {
    }

    /**
     * @param maxBodySize    larger webhook bodies are refused with 413 before they are buffered further
     * @param publishTimeout how long a request waits for Kafka's acknowledgements before answering 503
     * @param maxInProgress  webhooks this instance works on at once; one more is answered 503 with Retry-After at
     *                       once, and the provider redelivers it ({@code com.answerline.ingest.webhook.WebhookAdmission})
     * @param busyRetryAfter the Retry-After of that answer
     */
    public record Webhook(@NotNull DataSize maxBodySize, @NotNull Duration publishTimeout, @Min(1) int maxInProgress,
                          @NotNull Duration busyRetryAfter) {
    }

    /** @param replicationFactor of the topics ingest declares (1 on the local single broker) */
    public record Kafka(@Min(1) short replicationFactor) {
    }

    /**
     * The Streams app of reply outcomes (the platform's {@link StreamsApp} makes it the Streams configuration, for the
     * application and for the topology test): at least once is enough, the store's merge rule keeps a final outcome,
     * so a replay changes nothing; state under {@code dataDir/state}; {@code application.server} is the host:port
     * this instance serves the gateway on, so each instance can tell which one owns a command's partition of the
     * outcome store (and forward the read there).
     */
    public StreamsApp streamsApp(ServicesProperties services) {
        return StreamsApp.of(streams.applicationId(), StreamsApp.Guarantee.AT_LEAST_ONCE, dataDir.resolve("state"))
                .withReplicationFactor(kafka.replicationFactor())
                .withCommitInterval(streams.commitInterval())
                .withApplicationServer(services == null ? null : services.applicationServer());
    }

    /**
     * The Kafka Streams app that keeps the latest outcome per reply command (state under {@code dataDir}/state).
     *
     * @param applicationId  consumer group and prefix of its internal topics; shared by every ingest instance
     * @param commitInterval how soon a new outcome becomes readable through the gateway
     */
    public record Streams(@NotBlank String applicationId, @NotNull Duration commitInterval) {
    }
}
