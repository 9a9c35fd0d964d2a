package com.answerline.ingest.health;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.health.application.ReadinessStateHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * The readiness group ({@code readinessState}, {@code identityDirectory}) answered on the caller's thread.
 *
 * <p>Spring Boot runs a blocking {@code HealthIndicator} on Reactor's shared {@code boundedElastic} pool, where a load
 * balancer's check then waits for a free worker behind whatever else runs there. In the long fault mode
 * (docs/reliability.md, runs 10 to 12) such checks timed out after 1 s on instances that were alive and answering,
 * and both instances were taken out of rotation at once ("no server available"). Both checks of the group are
 * in-memory reads, so they are reactive and need no pool. (The other wait of the check was the security chain's
 * request cache: see {@code SecurityConfig#withoutSessions}.)
 */
@Configuration(proxyBeanMethods = false)
class ReadinessHealth {

    /** Boot's own readiness indicator (same name, so it replaces Boot's), evaluated inline. */
    @Bean("readinessStateHealthIndicator")
    ReactiveHealthIndicator readinessStateHealthIndicator(ApplicationAvailability availability) {
        ReadinessStateHealthIndicator state = new ReadinessStateHealthIndicator(availability);
        return () -> Mono.fromSupplier(state::health);
    }
}
