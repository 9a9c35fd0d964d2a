package com.answerline.dispatch.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.answerline.dispatch.support.ProductionConfig;

class ProviderResiliencePropertiesTest {

    @Test
    void shouldDefaultToWhatsAppsThroughputAndAFewTransientRetries() {
        ProviderResilienceProperties properties = ProductionConfig.providerResilience();

        assertThat(properties.throughput().messagesPerSecond("100000000000001")).isEqualTo(80);
        assertThat(properties.retry().maxAttempts()).isEqualTo(3);
        assertThat(properties.retry().recipientPacing()).isEqualTo(Duration.ofSeconds(6));
        assertThat(properties.circuitBreaker().openFor()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldLetOneNumberOverrideTheDefaultRate() {
        ProviderResilienceProperties.Throughput throughput =
                new ProviderResilienceProperties.Throughput(80, Map.of("100000000000002", 20), Duration.ofSeconds(5));

        assertThat(throughput.messagesPerSecond("100000000000002")).isEqualTo(20);
        assertThat(throughput.messagesPerSecond("100000000000001")).isEqualTo(80);
    }

    @Test
    void shouldBudgetEveryAttemptEveryWaitAndEveryRateSlot() {
        ProviderResilienceProperties properties = new ProviderResilienceProperties(
                new ProviderResilienceProperties.Retry(3, Duration.ofMillis(500), 2.0, 0.5, Duration.ofSeconds(4),
                        Duration.ofSeconds(6)),
                new ProviderResilienceProperties.Throughput(80, null, Duration.ofSeconds(5)),
                new ProviderResilienceProperties.CircuitBreaker(50, 20, 10, Duration.ofSeconds(30), 3));

        // 3 attempts x 12 s + 2 waits x max(4 s x 1.5, 6 s) + 3 slots x 5 s
        assertThat(properties.callBudget(Duration.ofSeconds(12))).isEqualTo(Duration.ofSeconds(36 + 12 + 15));
    }
}
