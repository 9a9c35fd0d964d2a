package com.answerline.session.config;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How fast the group notices an instance that died without saying goodbye ({@code kill -9}, OOM kill, lost node),
 * under {@code answerline.session.recovery}. Until then its partitions are folded by nobody and their reads answer
 * 503; a restarted instance also waits for it, because the group rebalances only once the dead member is gone
 * ({@code KillAndRestartIT}: about 45 s of a 47 s restart with Kafka's default). A shorter timeout fails over
 * sooner but lets a JVM-wide pause (GC, a starved container) of that length evict a healthy instance; Streams
 * heartbeats from a background thread, so slow processing or a long restore never does.
 *
 * <p>Kept apart from {@link SessionServiceProperties.Streams} so that adding it changed no existing constructor.
 *
 * @param sessionTimeout the main consumer's {@code session.timeout.ms}: 6 s (the broker's minimum by default) to
 *                       30 min; Kafka's default 45 s
 */
@Validated
@ConfigurationProperties("answerline.session.recovery")
public record SessionRecoveryProperties(@NotNull @DefaultValue("45s") Duration sessionTimeout) {

    private static final Duration MIN = Duration.ofSeconds(6);
    private static final Duration MAX = Duration.ofMinutes(30);

    /** Kafka's own defaults, for callers (tests) that do not bind properties. */
    public static final SessionRecoveryProperties DEFAULTS = new SessionRecoveryProperties(Duration.ofSeconds(45));

    public SessionRecoveryProperties {
        if (sessionTimeout != null && (sessionTimeout.compareTo(MIN) < 0 || sessionTimeout.compareTo(MAX) > 0)) {
            throw new IllegalArgumentException("recovery.session-timeout must be between " + MIN + " and " + MAX
                    + ": " + sessionTimeout);
        }
    }
}
