package com.answerline.dispatch.config;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Reconciliation of in-doubt sends ({@code send.SendReconciler}): a send whose provider answer was lost waits this
 * long, PENDING SEND_STATE_UNKNOWN, for a delivery status naming it, then ends FAILED SEND_STATE_UNKNOWN.
 *
 * @param deadline default 5 minutes. Both providers report a message's first status ("sent", Twilio's "queued")
 *                 within seconds of accepting it, so a status that has not come in minutes is not coming soon; the
 *                 deadline still covers ingest or session restarting or failing over (a minute at worst), a burst of
 *                 webhooks queued behind it, and the first retries of Meta and Twilio for a webhook that failed. Longer
 *                 only keeps the agent waiting on a reply that most likely never went out; shorter turns late evidence
 *                 into a final SEND_STATE_UNKNOWN that then stays.
 */
@Validated
@ConfigurationProperties("answerline.dispatch.reconcile")
public record ReconcileProperties(@NotNull Duration deadline) {

    @AssertTrue(message = "deadline must be positive")
    public boolean isDeadlineValid() {
        return deadline == null || (!deadline.isNegative() && !deadline.isZero());
    }
}
