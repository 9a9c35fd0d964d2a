package com.answerline.dispatch.send;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The sender's concurrency: how many conversations of one poll it sends for side by side (records of one
 * conversation always go one after another, see {@link KeyOrderedBatch}). Also the most provider calls and
 * ledger writes in flight, and the size of each provider client's connection pool.
 *
 * @param concurrency            worker threads of the sender; a thread mostly waits on HTTP or on an acks=all write
 * @param progressCommitInterval a poll's batch still running after this long commits, every this long, each
 *                               partition's offsets up to its first record not done yet ({@link BatchProgress});
 *                               a batch done sooner is committed once, when it is done; default 1s
 */
@Validated
@ConfigurationProperties("answerline.dispatch.sender")
public record SenderProperties(@Min(1) @Max(1024) int concurrency, Duration progressCommitInterval) {

    public static final Duration DEFAULT_PROGRESS_COMMIT_INTERVAL = Duration.ofSeconds(1);

    public SenderProperties {
        if (progressCommitInterval == null) {
            progressCommitInterval = DEFAULT_PROGRESS_COMMIT_INTERVAL;
        }
    }

    @AssertTrue(message = "progress-commit-interval must be at least 100ms (each report is a synchronous offset commit)")
    boolean isProgressCommitIntervalValid() {
        return progressCommitInterval.toMillis() >= 100;
    }
}
