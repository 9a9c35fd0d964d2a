package com.answerline.ingest.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import com.answerline.ingest.config.IdempotencyProperties;
import com.answerline.schemas.tenant.BusinessNumber;
import com.answerline.schemas.tenant.TenantDirectory;

/** The two demo tenants, a fixed clock and the idempotency settings, for the gateway's {@code @WebFluxTest}s. */
@TestConfiguration(proxyBeanMethods = false)
class GatewayFixtures {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String DEMO_CONVERSATION = "100000000000001:31612345678";

    /**
     * The compact form of an (unsigned) agent token of {@code tenant}, as the mock JWT's value: the gateway relays it
     * to session and dispatch, whose stand-ins read the tenant from it (signatures are the services' own tests).
     */
    static String tokenValue(String tenant) {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"agent-7\",\"tenant_id\":\"" + tenant + "\"}")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".";
    }

    @Bean
    TenantDirectory tenantDirectory() {
        return new TenantDirectory(List.of(
                new BusinessNumber("demo", "100000000000001", "15550000001", "200000000000001"),
                new BusinessNumber("other", "100000000000002", "15550000002", "200000000000002")));
    }

    @Bean
    IdempotencyProperties idempotencyProperties() {
        return new IdempotencyProperties(100, Duration.ofMinutes(5));
    }

    @Bean
    Clock clock() {
        return Clock.fixed(NOW, ZoneOffset.UTC);
    }
}
