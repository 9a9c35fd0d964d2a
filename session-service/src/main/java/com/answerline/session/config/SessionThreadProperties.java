package com.answerline.session.config;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import com.answerline.schemas.topic.Topics;
import com.answerline.session.thread.ThreadLimits;

/**
 * The conversations' threads, under {@code answerline.session.thread} (see the README, "The thread"). Kept apart from
 * {@link SessionServiceProperties}, so that adding it changed no existing constructor.
 *
 * @param retention                messages older than this are dropped; default 90 days, as long as the
 *                                 {@code conversation-messages} topic keeps them ({@link Topics#THREAD_RETENTION})
 * @param maxMessages              messages a conversation keeps at most; the oldest drop out
 * @param sweepInterval            how often a slice of the thread store is checked against both (a full pass over
 *                                 {@code n} messages takes {@code n / 5,000} intervals)
 * @param unmatchedStatusRetention how long a delivery status is kept that arrived before the outcome naming its message
 */
@Validated
@ConfigurationProperties("answerline.session.thread")
public record SessionThreadProperties(@NotNull @DefaultValue("90d") Duration retention,
                                      @Min(1) @DefaultValue("1000") int maxMessages,
                                      @NotNull @DefaultValue("10s") Duration sweepInterval,
                                      @NotNull @DefaultValue("1h") Duration unmatchedStatusRetention) {

    /** The defaults, for callers (tests) that do not bind properties. */
    public static final SessionThreadProperties DEFAULTS = new SessionThreadProperties(Topics.THREAD_RETENTION, 1000,
            Duration.ofSeconds(10), Duration.ofHours(1));

    public SessionThreadProperties {
        // Checked at start-up: the same rules as the topology's (a null is a value set to empty).
        new ThreadLimits(retention, maxMessages, sweepInterval, unmatchedStatusRetention);
    }

    /** The limits the topology enforces. */
    public ThreadLimits limits() {
        return new ThreadLimits(retention, maxMessages, sweepInterval, unmatchedStatusRetention);
    }
}
