package com.answerline.dispatch.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.answerline.dispatch.support.SlidingWindow;

/**
 * Each dispatch instance's share of a business number's throughput limit, and the proof that the instances' limiters
 * together never let more than the limit through (DOMAIN.md 3: 80/s per business number by default, 20/s for
 * coexistence numbers, up to 1,000/s; over it WhatsApp answers 130429).
 */
class ThroughputShareTest {

    static final int PARTITIONS = 6;
    static final int[] LIMITS = {1, 7, 10, 20, 80, 1000};

    @Test
    void shouldGiveAnInstanceItsPartitionsFractionOfTheLimit() {
        // Given an instance that owns 2 of the 6 send-requests partitions
        ThroughputShare share = new ThroughputShare(PARTITIONS);
        share.assigned(List.of(0, 1));

        // Then it paces each number at a third of its limit
        assertThat(share.current()).isEqualTo(new ThroughputShare.Share(2, 6));
        assertThat(share.current().ofLimit(80)).isCloseTo(80 / 3.0, offset(1e-9));
        assertThat(share.current().ofLimit(20)).isCloseTo(20 / 3.0, offset(1e-9));
    }

    @Test
    void shouldHaveNoShareBeforeItsFirstAssignment() {
        assertThat(new ThroughputShare(PARTITIONS).current().owned()).isZero();
        assertThat(ThroughputShare.whole().current().fraction()).isEqualTo(1.0);
    }

    @Test
    void shouldCountAPartitionOnceAndIgnoreNumbersOutsideTheTopic() {
        ThroughputShare share = new ThroughputShare(PARTITIONS);

        share.assigned(List.of(0, 0, 5, 6, -1));
        share.revoked(List.of(4));

        assertThat(share.current()).isEqualTo(new ThroughputShare.Share(2, 6));
    }

    @Test
    void shouldNeverSumAboveTheLimitForAnySplitOfSixPartitionsOverOneToThreeInstances() {
        for (int instances = 1; instances <= 3; instances++) {
            // Every way to place each partition on one instance or on none (mid-rebalance): (n + 1)^6 splits
            int splits = (int) Math.pow(instances + 1, PARTITIONS);
            for (int split = 0; split < splits; split++) {
                List<ThroughputShare> shares = place(split, instances);
                for (int limit : LIMITS) {
                    double sum = 0;
                    for (ThroughputShare share : shares) {
                        sum += permitsPerSecond(share.current(), limit);
                    }
                    assertThat(sum).as("limit %d, %d instances, split %d", limit, instances, split)
                            .isLessThanOrEqualTo(limit);
                }
            }
        }
    }

    @Test
    void shouldStayWithinTheLimitAtEveryStepOfACooperativeRebalance() {
        // Given instance A owning all six partitions, and B joining
        ThroughputShare a = new ThroughputShare(PARTITIONS);
        ThroughputShare b = new ThroughputShare(PARTITIONS);
        a.assigned(List.of(0, 1, 2, 3, 4, 5));
        List<Double> sums = new ArrayList<>();

        // When partitions 3, 4, 5 move one at a time: the group revokes each from A before it assigns it to B
        for (int partition = 3; partition < PARTITIONS; partition++) {
            a.revoked(List.of(partition));
            sums.add(a.current().ofLimit(80) + b.current().ofLimit(80));
            b.assigned(List.of(partition));
            sums.add(a.current().ofLimit(80) + b.current().ofLimit(80));
        }

        // Then the sum never exceeds 80 on the way, and each ends with half
        assertThat(sums).allSatisfy(sum -> assertThat(sum).isLessThanOrEqualTo(80.0 + 1e-9));
        assertThat(a.current().ofLimit(80)).isEqualTo(40.0);
        assertThat(b.current().ofLimit(80)).isEqualTo(40.0);

        // And when B is lost (kill -9) and A is given its partitions back, A has the whole limit again
        b.revoked(List.of(3, 4, 5));
        assertThat(b.current().owned()).isZero();
        a.assigned(List.of(3, 4, 5));
        assertThat(a.current().ofLimit(80)).isEqualTo(80.0);
    }

    @Test
    void shouldLetAtMostTheLimitPlusOnePerInstanceThroughInAnySecondWhenEveryInstanceSendsFlatOut() {
        // Given three instances owning 1, 2 and 3 of six partitions, each with the real limiter of its share, on a
        // shared simulated clock, and a number limited to 80/s
        int limit = 80;
        AtomicLong nanos = new AtomicLong(1_000_000_000L);
        List<RateLimiter> limiters = new ArrayList<>();
        int first = 0;
        for (int owned : new int[] {1, 2, 3}) {
            ThroughputShare share = new ThroughputShare(PARTITIONS);
            List<Integer> partitions = new ArrayList<>();
            for (int p = first; p < first + owned; p++) {
                partitions.add(p);
            }
            first += owned;
            share.assigned(partitions);
            limiters.add(RateLimiter.of("whatsapp:n:" + owned, ProviderGuard.limiterConfig(
                    share.current().ofLimit(limit), Duration.ZERO), nanos::get));
        }

        // When every instance takes every permit it can, each simulated 100 microseconds, for 10 s
        List<Long> granted = new ArrayList<>();
        for (int tick = 0; tick < 100_000; tick++) {
            nanos.addAndGet(100_000L);
            for (RateLimiter limiter : limiters) {
                while (limiter.acquirePermission()) {
                    granted.add(nanos.get());
                }
            }
        }

        // Then no one-second window holds more than the limit plus one permit per instance (the cycle each
        // instance's window starts in), and over the 10 s they send at the limit, not above
        assertThat(SlidingWindow.maxInAnySecond(granted)).isLessThanOrEqualTo(limit + limiters.size());
        assertThat(granted.size()).isLessThanOrEqualTo(10 * limit + limiters.size());
        assertThat(granted.size()).isGreaterThanOrEqualTo(10 * limit - limiters.size());
    }

    @Test
    void shouldReportThisInstancesFractionAsOneGauge() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ThroughputShare share = new ThroughputShare(PARTITIONS).bindTo(meters);

        share.assigned(List.of(0, 1, 2));

        assertThat(meters.get(ThroughputShare.SHARE).gauge().value()).isEqualTo(0.5);
        share.revoked(Set.of(0, 1, 2));
        assertThat(meters.get(ThroughputShare.SHARE).gauge().value()).isZero();
    }

    /** The permits per second the limiter of {@code share} really grants: one per refresh period. */
    private static double permitsPerSecond(ThroughputShare.Share share, int limit) {
        if (share.owned() == 0) {
            return 0;
        }
        Duration period = ProviderGuard.limiterConfig(share.ofLimit(limit), Duration.ZERO).getLimitRefreshPeriod();
        return 1_000_000_000d / period.toNanos();
    }

    /** Split number {@code split} in base (instances + 1): digit p is the owner of partition p, 0 = nobody. */
    private static List<ThroughputShare> place(int split, int instances) {
        List<ThroughputShare> shares = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            shares.add(new ThroughputShare(PARTITIONS));
        }
        int rest = split;
        for (int partition = 0; partition < PARTITIONS; partition++) {
            int owner = rest % (instances + 1);
            rest /= instances + 1;
            if (owner > 0) {
                shares.get(owner - 1).assigned(List.of(partition));
            }
        }
        return shares;
    }
}
