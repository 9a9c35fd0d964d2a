package com.answerline.ingest.config;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.answerline.platform.routing.PeerTransport;

/**
 * The services the agents' gateway reads from over HTTP, and the address of this instance for its peers.
 * A record of its own (not part of {@link IngestProperties}) so the gateway's reads are configured in one place.
 *
 * @param sessionUrl        session-service (conversation state); any instance answers, it routes internally
 * @param dispatchUrl       dispatch-service (channel preview)
 * @param connectTimeout    per call, for every client here (session, dispatch, peers)
 * @param readTimeout       how long a call waits for the response before the gateway answers 503
 * @param applicationServer host:port this instance serves the gateway on, as its peers reach it; Kafka Streams
 *                          {@code application.server}, so a reply-outcome read can be forwarded to the instance
 *                          that owns the command's partition
 * @param peers             http or https (with the SSL bundle that trusts the peers' certificates) for those forwards,
 *                          which carry the agent's token
 */
@Validated
@ConfigurationProperties("answerline.ingest.services")
public record ServicesProperties(@NotNull URI sessionUrl, @NotNull URI dispatchUrl, @NotNull Duration connectTimeout,
                                 @NotNull Duration readTimeout,
                                 @NotBlank @Pattern(regexp = "[^:/\\s]+:\\d{1,5}", message = "must be host:port")
                                 String applicationServer,
                                 @Valid @NotNull @DefaultValue PeerTransport peers) {
}
