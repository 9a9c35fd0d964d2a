package com.answerline.ingest.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The providers' webhooks on a listener of their own ({@code com.answerline.ingest.listener.WebhookListener}).
 *
 * @param port      the webhooks' port; unset: the main port serves webhooks with everything else (tests, one-port
 *                  setups); 0: any free port
 * @param ioThreads the listener's own event-loop threads (its bulkhead: a flood of webhooks queues there, not in
 *                  front of the agents' reads on the main port)
 */
@Validated
@ConfigurationProperties("answerline.ingest.webhook-listener")
public record WebhookListenerProperties(@Min(0) @Max(65535) Integer port, @Min(1) Integer ioThreads) {

    public WebhookListenerProperties {
        ioThreads = ioThreads == null ? 2 : ioThreads;
    }

    /** True when webhooks have a listener of their own. */
    public boolean enabled() {
        return port != null;
    }
}
