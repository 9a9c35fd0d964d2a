package com.answerline.dispatch.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;

import com.answerline.dispatch.provider.sms.SmsApiException;
import com.answerline.dispatch.provider.whatsapp.WhatsAppApiException;

/** DOMAIN.md section 3's table, row by row, and section 4's Twilio shape. */
class ProviderErrorsTest {

    @ParameterizedTest(name = "WhatsApp {1} (HTTP {0}) -> {2}")
    @CsvSource({
            // transient: retry with backoff
            "500, 131000, TRANSIENT",
            "503, 131016, TRANSIENT",
            "400, 131000, TRANSIENT",
            // throughput of the business number / pair rate limit
            "429, 130429, NUMBER_THROUGHPUT",
            "400, 131056, RECIPIENT_PACING",
            // window closed: the sender falls back, never a free-form retry
            "400, 131047, WINDOW_CLOSED",
            // permanent rows
            "400, 131026, PERMANENT",
            "400, 131048, PERMANENT",
            "400, 131049, PERMANENT",
            "400, 131050, PERMANENT",
            "400, 131008, PERMANENT",
            "400, 131009, PERMANENT",
            "400, 100, PERMANENT",
            "400, 132000, PERMANENT",
            "404, 132001, PERMANENT",
            "400, 132005, PERMANENT",
            "400, 132007, PERMANENT",
            "400, 132012, PERMANENT",
            "400, 132015, PERMANENT",
            "400, 132016, PERMANENT",
            // stop the channel, alert
            "403, 368, CHANNEL_BLOCKED",
            "403, 131031, CHANNEL_BLOCKED",
            "403, 130497, CHANNEL_BLOCKED",
            "402, 131042, CHANNEL_BLOCKED",
            // not in the table: the HTTP status decides
            "500, -1, TRANSIENT",
            "502, 1, TRANSIENT",
            "429, -1, NUMBER_THROUGHPUT",
            "400, -1, PERMANENT",
            "400, 999999, PERMANENT",
            "200, -1, PERMANENT",
    })
    void shouldClassifyWhatsAppCodesAsTheDomainTableSays(int status, int code, ProviderErrorKind expected) {
        assertThat(ProviderErrors.classify(new WhatsAppApiException(status, code, "OAuthException", "m", null, "f")))
                .isEqualTo(expected);
    }

    @ParameterizedTest(name = "SMS {1} (HTTP {0}) -> {2}")
    @CsvSource({
            "500, -1, TRANSIENT",
            "503, 20503, TRANSIENT",
            "429, 20429, NUMBER_THROUGHPUT",
            "400, 20429, NUMBER_THROUGHPUT",
            "400, 21211, PERMANENT",
            "400, 21614, PERMANENT",
            "401, 20003, PERMANENT",
    })
    void shouldClassifyTwilioShapedErrors(int status, int code, ProviderErrorKind expected) {
        assertThat(ProviderErrors.classify(new SmsApiException(status, code, "m"))).isEqualTo(expected);
    }

    @Test
    void shouldRetryOnlyTransientThroughputAndPacingKinds() {
        assertThat(ProviderErrorKind.values()).filteredOn(ProviderErrorKind::retryable)
                .containsExactlyInAnyOrder(ProviderErrorKind.TRANSIENT, ProviderErrorKind.NUMBER_THROUGHPUT,
                        ProviderErrorKind.RECIPIENT_PACING);
    }

    @Test
    void shouldTreatALostAnswerAsInDoubtAndARefusedConnectionAsTransient() {
        assertThat(ProviderErrors.classify(new org.springframework.web.reactive.function.client.WebClientRequestException(
                io.netty.handler.timeout.ReadTimeoutException.INSTANCE, org.springframework.http.HttpMethod.POST,
                java.net.URI.create("http://127.0.0.1/v23.0/1/messages"), new org.springframework.http.HttpHeaders())))
                .isEqualTo(ProviderErrorKind.IN_DOUBT);
        assertThat(ProviderErrors.classify(new IllegalStateException("wrapped",
                reactor.netty.http.client.PrematureCloseException.TEST_EXCEPTION)))
                .isEqualTo(ProviderErrorKind.IN_DOUBT);
        assertThat(ProviderErrors.classify(new java.net.ConnectException("Connection refused")))
                .isEqualTo(ProviderErrorKind.TRANSIENT);
    }

    @Test
    void shouldTreatNetworkFailuresAsTransientAndOurOwnRefusalsAsUnavailable() {
        assertThat(ProviderErrors.classify(new IOException("connection reset"))).isEqualTo(ProviderErrorKind.TRANSIENT);
        assertThat(ProviderErrors.classify(new TimeoutException())).isEqualTo(ProviderErrorKind.TRANSIENT);
        assertThat(ProviderErrors.classify(CallNotPermittedException.createCallNotPermittedException(
                CircuitBreaker.ofDefaults("whatsapp")))).isEqualTo(ProviderErrorKind.UNAVAILABLE);
        assertThat(ProviderErrors.classify(RequestNotPermitted.createRequestNotPermitted(RateLimiter.ofDefaults("n"))))
                .isEqualTo(ProviderErrorKind.UNAVAILABLE);
        assertThat(ProviderErrors.classify(new IllegalStateException("bug"))).isEqualTo(ProviderErrorKind.PERMANENT);
    }
}
