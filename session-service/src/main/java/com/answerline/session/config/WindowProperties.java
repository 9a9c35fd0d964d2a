package com.answerline.session.config;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the window is shown, under {@code answerline.window}: the same key dispatch-service decides with
 * ({@code answerline.dispatch.safety-margin} defaults to it), so the state an agent sees (OPEN / CLOSING / CLOSED,
 * {@code com.answerline.schemas.window.ServiceWindow}) is the state a reply is decided on.
 *
 * @param safetyMargin a window with this much time left, or less, is CLOSING: still open for WhatsApp, but a free-form
 *                     reply decided now goes out by a fallback
 */
@Validated
@ConfigurationProperties("answerline.window")
public record WindowProperties(@NotNull @DefaultValue("60s") Duration safetyMargin) {

    public WindowProperties {
        if (safetyMargin != null && safetyMargin.isNegative()) {
            throw new IllegalArgumentException("answerline.window.safety-margin must not be negative: " + safetyMargin);
        }
    }
}
