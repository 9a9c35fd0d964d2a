package com.answerline.sandbox.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Cloud API sends' arrival times per business number, read by the fault suite's throughput check. */
class SendArrivalsTest {

    static final String NUMBER = "100000000000001";
    static final String OTHER = "100000000000002";
    static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void shouldListANumbersSendsOldestFirstWithTheMostInAnyOneSecond() {
        // Given 3 sends within 900 ms, then 2 more a second later, and one for another number
        SendArrivals arrivals = new SendArrivals(List.of(NUMBER, OTHER), 100);
        for (long ms : new long[] {900, 0, 450, 1900, 2950}) {
            arrivals.record(NUMBER, T0.plusMillis(ms));
        }
        arrivals.record(OTHER, T0);

        // When the number's report is read
        SendArrivals.Report report = arrivals.report(NUMBER, null).orElseThrow();

        // Then it lists its own five in order, and the busiest second held 3 (0, 450, 900; 1900 is outside [0, 1000))
        assertThat(report.arrivals()).containsExactly(T0, T0.plusMillis(450), T0.plusMillis(900), T0.plusMillis(1900),
                T0.plusMillis(2950));
        assertThat(report.count()).isEqualTo(5);
        assertThat(report.maxInAnySecond()).isEqualTo(3);
    }

    @Test
    void shouldCountASendExactlyOneSecondLaterInTheNextSecond() {
        assertThat(SendArrivals.maxInAnyWindow(List.of(T0, T0.plusMillis(999), T0.plusMillis(1000)),
                Duration.ofSeconds(1))).isEqualTo(2);
    }

    @Test
    void shouldListOnlyTheSendsSinceTheGivenInstant() {
        SendArrivals arrivals = new SendArrivals(List.of(NUMBER), 100);
        arrivals.record(NUMBER, T0);
        arrivals.record(NUMBER, T0.plusSeconds(5));

        assertThat(arrivals.report(NUMBER, T0.plusSeconds(5)).orElseThrow().arrivals()).containsExactly(T0.plusSeconds(5));
    }

    @Test
    void shouldIgnoreNumbersThatAreNotConfiguredAndKeepOnlyTheNewestUpToItsCapacity() {
        SendArrivals arrivals = new SendArrivals(List.of(NUMBER), 2);

        arrivals.record("999", T0);
        for (int i = 0; i < 3; i++) {
            arrivals.record(NUMBER, T0.plusSeconds(i));
        }

        assertThat(arrivals.report("999", null)).isEmpty();
        assertThat(arrivals.report(NUMBER, null).orElseThrow().arrivals())
                .containsExactly(T0.plusSeconds(1), T0.plusSeconds(2));
    }

    @Test
    void shouldSayWhichArrivalsAskedForDirectSend() {
        // Given an ordinary send, then two Direct Sends (one of them before "since")
        SendArrivals arrivals = new SendArrivals(List.of(NUMBER), 10);
        arrivals.record(NUMBER, T0.plusSeconds(2), false);
        arrivals.record(NUMBER, T0, true);
        arrivals.record(NUMBER, T0.plusSeconds(3), true);

        // When / Then all count as arrivals, the Direct Sends also on their own
        SendArrivals.Report all = arrivals.report(NUMBER, null).orElseThrow();
        assertThat(all.count()).isEqualTo(3);
        assertThat(all.directSendCount()).isEqualTo(2);
        assertThat(all.directSendArrivals()).containsExactly(T0, T0.plusSeconds(3));
        assertThat(arrivals.report(NUMBER, T0.plusSeconds(1)).orElseThrow().directSendArrivals())
                .containsExactly(T0.plusSeconds(3));
    }

    @Test
    void shouldForgetEveryArrivalOnReset() {
        SendArrivals arrivals = new SendArrivals(List.of(NUMBER), 10);
        arrivals.record(NUMBER, T0);

        arrivals.reset();

        assertThat(arrivals.report(NUMBER, null).orElseThrow().count()).isZero();
    }
}
