package com.answerline.dispatch.config;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The asynchronous failover (a SENT WhatsApp reply later reported FAILED with 131047 or 131026). Its own record,
 * beside {@code DispatchProperties}.
 *
 * @param maxDelay a reply sent longer ago than this gets no failover any more: a fallback SMS a day later would
 *                 confuse more than help, and a first deployment reads {@code delivery-statuses} from the beginning
 */
@Validated
@ConfigurationProperties("answerline.dispatch.failover")
public record FailoverProperties(@NotNull Duration maxDelay) {
}
