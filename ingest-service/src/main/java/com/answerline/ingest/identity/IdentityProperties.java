package com.answerline.ingest.identity;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The customer identity directory's settings ({@code answerline.ingest.identity}).
 *
 * @param recentWritesCapacity how many identities this instance just wrote it keeps in memory until the global
 *                             table has read them back (normally well under a second); the oldest go first
 */
@Validated
@ConfigurationProperties("answerline.ingest.identity")
public record IdentityProperties(@Min(1) int recentWritesCapacity) {
}
