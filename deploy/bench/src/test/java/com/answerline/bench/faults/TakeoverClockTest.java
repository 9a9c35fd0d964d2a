package com.answerline.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TakeoverClockTest {

    private static final TopicPartition P0 = new TopicPartition("inbound-messages", 0);
    private static final TopicPartition P1 = new TopicPartition("inbound-messages", 1);
    private static final TopicPartition IDLE = new TopicPartition("inbound-messages", 2);

    // Given traffic on P0 and P1 between the start and the kill, none on IDLE; at the kill P0 ended at 100, P1 at 200,
    // and the group had committed P0 up to 95 and P1 up to 180 (its backlog: 180..200)
    private final TakeoverClock clock = new TakeoverClock(Map.of(P0, 50L, P1, 150L, IDLE, 7L),
            Map.of(P0, 100L, P1, 200L, IDLE, 7L), Map.of(P0, 95L, P1, 180L, IDLE, 7L));

    @Test
    void shouldTakeTheTimeTheLastPartitionWasServedAgainAndReportItsCatchUp() {
        // When the survivor's own partition is served at once, the killed instance's one resumes at 4 s (a commit past
        // the one at the kill) and reaches its end at the kill at 7.4 s
        clock.observe(Duration.ofMillis(200), Map.of(P0, 101L, P1, 180L, IDLE, 7L), Map.of(P0, 110L, P1, 210L));
        clock.observe(Duration.ofMillis(4_000), Map.of(P0, 130L, P1, 185L, IDLE, 7L), Map.of(P0, 140L, P1, 240L));
        clock.observe(Duration.ofMillis(7_400), Map.of(P0, 160L, P1, 205L, IDLE, 7L), Map.of(P0, 170L, P1, 270L));
        clock.observe(Duration.ofMillis(9_000), Map.of(P0, 190L, P1, 260L, IDLE, 7L), Map.of(P0, 200L, P1, 280L));

        // Then the takeover is the kill to P1's first commit after the kill, the catch-up the kill to its commit past
        // its end at the kill; the idle partition is not watched
        assertThat(clock.complete()).isTrue();
        assertThat(clock.takeover()).contains(Duration.ofMillis(4_000));
        assertThat(clock.catchUp()).contains(Duration.ofMillis(7_400));
        assertThat(clock.watchedPartitions()).isEqualTo(2);
        // And the report says when each partition was served, earliest first
        assertThat(clock.servedTimes()).isEqualTo("served 2: inbound-messages-0 at 0.2 s, inbound-messages-1 at 4.0 s");
    }

    @Test
    void shouldNotCountTheCommitTheKilledInstanceLeft() {
        // When the group's commit on P1 is still the one at the kill (what the killed instance committed itself)
        clock.observe(Duration.ofMillis(300), Map.of(P0, 101L, P1, 180L), Map.of(P0, 120L, P1, 230L));

        // Then P1 is still waiting: only a commit after the kill proves a live member serves it
        assertThat(clock.complete()).isFalse();
        assertThat(clock.takeover()).isEmpty();
        assertThat(clock.catchUp()).isEmpty();
        assertThat(clock.waiting()).containsExactly("inbound-messages-1");
        assertThat(clock.waitingWithoutTraffic()).isEmpty();
    }

    @Test
    void shouldServeAPartitionWithoutACommitAtTheKillOnItsFirstCommit() {
        // Given a group that had never committed P1 when the instance died
        TakeoverClock fresh = new TakeoverClock(Map.of(P1, 150L), Map.of(P1, 200L), Map.of());

        // When a live member commits it for the first time, short of the end at the kill
        fresh.observe(Duration.ofMillis(2_500), Map.of(P1, 120L), Map.of(P1, 230L));

        // Then it is served (not yet caught up)
        assertThat(fresh.takeover()).contains(Duration.ofMillis(2_500));
        assertThat(fresh.caughtUp()).isFalse();
    }

    @Test
    void shouldSayWhenAPartitionWaitsBecauseNothingWasWrittenToItAfterTheKill() {
        // When P1 gets no record after the kill (the traffic stalled) and P0 is served
        clock.observe(Duration.ofMillis(300), Map.of(P0, 101L, P1, 180L), Map.of(P0, 120L, P1, 200L));

        // Then P1 waits, for want of traffic: the takeover cannot be measured there, and is not counted as done
        assertThat(clock.complete()).isFalse();
        assertThat(clock.waitingWithoutTraffic()).containsExactly("inbound-messages-1");
    }

    @Test
    void shouldProveNothingWhenNoPartitionHadTraffic() {
        // Given no traffic at all between the start and the kill
        TakeoverClock quiet = new TakeoverClock(Map.of(P0, 100L), Map.of(P0, 100L), Map.of(P0, 90L));

        // When the group commits whatever
        quiet.observe(Duration.ofMillis(100), Map.of(P0, 500L), Map.of(P0, 600L));

        // Then there is no takeover time: nothing was watched
        assertThat(quiet.complete()).isFalse();
        assertThat(quiet.takeover()).isEmpty();
    }
    @Test
    void shouldSayWhichPartitionsWithTrafficTheGroupHasNotServedBeforeTheKill() {
        // Given traffic since the start on P0 and P1, none on IDLE; the group committed past P0's start end, P1 still at
        // its end of the start (a service still starting), and never anything on IDLE
        Map<TopicPartition, Long> start = Map.of(P0, 50L, P1, 150L, IDLE, 7L);
        Map<TopicPartition, Long> now = Map.of(P0, 80L, P1, 170L, IDLE, 7L);

        // Then P1 is not yet served; once a commit passes its start end, nothing is left
        assertThat(TakeoverClock.notYetServing(start, now, Map.of(P0, 60L, P1, 150L))).containsExactly(P1);
        assertThat(TakeoverClock.notYetServing(start, now, Map.of(P0, 60L))).containsExactly(P1);
        assertThat(TakeoverClock.notYetServing(start, now, Map.of(P0, 60L, P1, 151L))).isEmpty();
    }
}
