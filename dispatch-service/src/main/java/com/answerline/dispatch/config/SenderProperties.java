package com.answerline.dispatch.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The sender's concurrency: how many conversations of one poll it sends for side by side (records of one
 * conversation always go one after another, see {@code send.KeyOrderedBatch}). Also the most provider calls and
 * ledger writes in flight, and the size of each provider client's connection pool.
 *
 * @param concurrency worker threads of the sender; a thread mostly waits on HTTP or on an acks=all write
 */
@Validated
@ConfigurationProperties("answerline.dispatch.sender")
public record SenderProperties(@Min(1) @Max(1024) int concurrency) {
}
