package com.answerline.dispatch.provider;

import java.time.Duration;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.ratelimiter.operator.RateLimiterOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import reactor.core.publisher.Mono;

/**
 * Wraps every request to one provider in Resilience4j: a rate limiter per business number (WhatsApp's throughput
 * limit, this instance's {@link ThroughputShare} of it), a circuit breaker for the provider, and a retry of transient failures with exponential backoff and
 * jitter (131056 waits the recipient pacing instead). Order, outermost first: retry, breaker, rate limiter, so
 * every attempt takes a slot and counts in the breaker, and an open breaker ends the retries at once
 * ({@link io.github.resilience4j.circuitbreaker.CallNotPermittedException}, kind UNAVAILABLE, not retryable).
 *
 * <p>Recipient pacing: a conversation's replies are sent one after another (the sender's key-ordered batches),
 * so waiting before the retry of a 131056 paces that recipient only and leaves other recipients' sends alone.
 *
 * <p>Metrics: {@code answerline.dispatch.provider.requests} (timer per HTTP attempt, tags provider and outcome =
 * ok or the error kind), {@code answerline.dispatch.provider.errors} (counter, tags provider, code, kind) and
 * Resilience4j's circuit-breaker meters. The business number is deliberately never a tag.
 */
public final class ProviderGuard {

    public static final String REQUESTS = "answerline.dispatch.provider.requests";
    public static final String ERRORS = "answerline.dispatch.provider.errors";

    private static final Logger log = LoggerFactory.getLogger(ProviderGuard.class);

    private final String provider;
    private final ProviderResilienceProperties properties;
    private final MeterRegistry meters;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final RateLimiterRegistry limiters;
    private final ThroughputShare share;

    /**
     * A guard that paces each business number at its whole limit: for a process that is the only sender, and for
     * SMS (no number is paced).
     *
     * @param provider a short, fixed name: "whatsapp" or "sms" (breaker name and metric tag)
     */
    public ProviderGuard(String provider, ProviderResilienceProperties properties, MeterRegistry meters) {
        this(provider, properties, meters, ThroughputShare.whole());
    }

    /** @param share this instance's part of each number's limit (dispatch instances share the limit) */
    public ProviderGuard(String provider, ProviderResilienceProperties properties, MeterRegistry meters,
                         ThroughputShare share) {
        this.provider = provider;
        this.share = share;
        this.properties = properties;
        this.meters = meters;
        ProviderResilienceProperties.CircuitBreaker cb = properties.circuitBreaker();
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(cb.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindow())
                .minimumNumberOfCalls(cb.minimumCalls())
                .waitDurationInOpenState(cb.openFor())
                .permittedNumberOfCallsInHalfOpenState(cb.halfOpenCalls())
                .recordException(ProviderGuard::providerTrouble)
                .ignoreException(error -> !providerTrouble(error))
                .build());
        this.breaker = breakers.circuitBreaker(provider);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        breaker.getEventPublisher().onStateTransition(event ->
                log.warn("{} circuit breaker: {}", provider, event.getStateTransition()));
        this.retry = Retry.of(provider, retryConfig(properties.retry()));
        retry.getEventPublisher().onRetry(event -> log.info("{} attempt {} failed ({} {}), retrying in {} ms", provider,
                event.getNumberOfRetryAttempts(), ProviderErrors.classify(event.getLastThrowable()),
                ProviderErrors.codeTag(event.getLastThrowable()), event.getWaitInterval().toMillis()));
        this.limiters = RateLimiterRegistry.ofDefaults();
    }

    /**
     * One attempt, no rate limit worth the name, a breaker that opens only after 100 failed calls in a row: the
     * clients' behaviour without resilience, for callers (and tests) that do not configure any.
     */
    public static ProviderGuard passThrough(String provider) {
        return new ProviderGuard(provider, new ProviderResilienceProperties(
                new ProviderResilienceProperties.Retry(1, Duration.ofMillis(1), 1, 0, Duration.ofMillis(1), Duration.ofMillis(1)),
                new ProviderResilienceProperties.Throughput(1_000_000, null, Duration.ofSeconds(1)),
                new ProviderResilienceProperties.CircuitBreaker(100, 100, 100, Duration.ofMillis(1), 1)),
                new SimpleMeterRegistry());
    }

    /**
     * @param businessNumber the phone_number_id whose throughput the request uses, or null for none (SMS)
     * @param call           the request; subscribed once per attempt
     */
    public <T> Mono<T> guard(String businessNumber, Mono<T> call) {
        Mono<T> attempt = Mono.defer(() -> measured(call));
        if (businessNumber != null) {
            attempt = paced(businessNumber, attempt);
        }
        return attempt
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                // Refused by the breaker or the rate limiter: never reached the provider, so never measured above.
                .doOnError(error -> ProviderErrors.classify(error) == ProviderErrorKind.UNAVAILABLE,
                        this::countError)
                .transformDeferred(RetryOperator.of(retry));
    }

    /** What says the provider is in trouble (the breaker counts it): transient errors and lost answers. */
    private static boolean providerTrouble(Throwable error) {
        ProviderErrorKind kind = ProviderErrors.classify(error);
        return kind == ProviderErrorKind.TRANSIENT || kind == ProviderErrorKind.IN_DOUBT;
    }

    /**
     * False while the breaker is open: a call now would be refused without reaching the provider, so a parked send
     * waits instead of writing its ledger entries for nothing. Once the open time is over this moves the breaker to
     * half-open (the permission taken to look is given back), and the next calls are its probes: a few parked sends,
     * never a burst at a provider just back.
     */
    public boolean permitsCalls() {
        if (!breaker.tryAcquirePermission()) {
            return false;
        }
        breaker.releasePermission();
        return true;
    }

    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    private <T> Mono<T> measured(Mono<T> call) {
        Timer.Sample sample = Timer.start(meters);
        return call
                .doOnSuccess(value -> sample.stop(timer("ok")))
                .doOnError(error -> {
                    sample.stop(timer(kindTag(error)));
                    countError(error);
                    if (ProviderErrors.classify(error) == ProviderErrorKind.CHANNEL_BLOCKED) {
                        // DOMAIN 3: policy block, locked account, country restriction, payment: a person must act.
                        log.error("{} refused with {}: the business account is blocked, sending on it cannot succeed",
                                provider, ProviderErrors.codeTag(error));
                    }
                });
    }

    private void countError(Throwable error) {
        Counter.builder(ERRORS).description("Failed provider requests by error code")
                .tag("provider", provider).tag("code", ProviderErrors.codeTag(error)).tag("kind", kindTag(error))
                .register(meters).increment();
    }

    private static String kindTag(Throwable error) {
        return ProviderErrors.classify(error).name().toLowerCase(Locale.ROOT);
    }

    private Timer timer(String outcome) {
        return Timer.builder(REQUESTS).description("Provider HTTP requests, one per attempt")
                .tag("provider", provider).tag("outcome", outcome).register(meters);
    }

    /**
     * The number's limit times this instance's share, read once per guarded call (a rebalance happens between two
     * of the sender's batches, never during a call). No share (no send-requests partition): refused at once as if
     * no permit came, which the sender never meets, since it only sends for partitions it owns.
     */
    private <T> Mono<T> paced(String businessNumber, Mono<T> attempt) {
        ThroughputShare.Share current = share.current();
        String name = provider + ":" + businessNumber + ":" + current.owned() + "/" + current.total();
        if (current.owned() == 0) {
            return Mono.error(() -> RequestNotPermitted.createRequestNotPermitted(
                    RateLimiter.of(name, RateLimiterConfig.ofDefaults())));
        }
        // One limiter per number and share (at most total + 1 per number): after a rebalance the new share's limiter
        // paces the next sends; the old one is idle until the share comes back.
        double perSecond = current.ofLimit(properties.throughput().messagesPerSecond(businessNumber));
        RateLimiter limiter = limiters.rateLimiter(name,
                () -> limiterConfig(perSecond, properties.throughput().permitWait()));
        return attempt.transformDeferred(RateLimiterOperator.of(limiter));
    }

    /**
     * One permit per 1/rate s rather than rate permits per second: an even pace, so two adjacent periods never
     * let twice the rate through back to back. A fractional rate (80/s x 1/6 = 13.3/s) is exact to the nanosecond.
     * Any one-second window holds at most floor(rate) + 1 permits: the cycles it touches, one permit each.
     */
    static RateLimiterConfig limiterConfig(double perSecond, Duration permitWait) {
        return RateLimiterConfig.custom()
                .limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofNanos(Math.max(1L, (long) Math.ceil(1_000_000_000d / perSecond))))
                .timeoutDuration(permitWait)
                .build();
    }

    private static RetryConfig retryConfig(ProviderResilienceProperties.Retry retry) {
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(retry.initialBackoff(),
                retry.multiplier(), retry.jitter(), retry.maxBackoff());
        long pacing = retry.recipientPacing().toMillis();
        IntervalBiFunction<Object> interval = (attempt, result) ->
                result.isLeft() && ProviderErrors.classify(result.getLeft()) == ProviderErrorKind.RECIPIENT_PACING
                        ? pacing : backoff.apply(attempt);
        return RetryConfig.custom()
                .maxAttempts(retry.maxAttempts())
                .intervalBiFunction(interval)
                .retryOnException(error -> ProviderErrors.classify(error).retryable())
                .failAfterMaxAttempts(false)
                .build();
    }
}
