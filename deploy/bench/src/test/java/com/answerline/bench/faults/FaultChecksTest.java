package com.answerline.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The fault suite's verdict fed runs that must fail: no traffic, no fault, a loss, a duplicate; and a good run. */
class FaultChecksTest {

    private static final FaultChecks.Floors FLOORS = FaultChecks.Floors.of(new SteadyLoad.Rates(100, 20),
            Duration.ofSeconds(15));
    private static final FaultProof VERIFIED = new FaultProof(true, "dispatch-service pid 10 -> 11");
    private static final Duration SETTLE = Duration.ofMinutes(3);

    @Test
    void shouldSetTheFloorsAtHalfWhatThePlansRatesIssueOutsideTheFault() {
        assertThat(FLOORS).isEqualTo(new FaultChecks.Floors(750, 150));
        assertThat(FaultChecks.Floors.of(new SteadyLoad.Rates(0, 0), Duration.ZERO))
                .isEqualTo(new FaultChecks.Floors(1, 1));
    }

    @Test
    void shouldPassAGoodRunWithAVerifiedFault() {
        // Given a run that carried its traffic through a verified fault and lost nothing
        Verdict verdict = FaultChecks.judge("kill-dispatch-service", run(1500, 300), VERIFIED, FLOORS, SETTLE);

        // Then it passes
        assertThat(verdict.passed()).as(String.join("; ", verdict.notes())).isTrue();
        assertThat(verdict.lost()).isZero();
        assertThat(verdict.duplicated()).isZero();
    }

    @Test
    void shouldFailARunWithoutTraffic() {
        // Given a run in which nothing was issued, so nothing could be lost or duplicated
        Verdict verdict = FaultChecks.judge("kill-dispatch-service", run(0, 0), VERIFIED, FLOORS, SETTLE);

        // Then it fails, and says why
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.lost()).isZero();
        assertThat(verdict.notes()).anyMatch(note -> note.startsWith("too little traffic"));
    }

    @Test
    void shouldFailARunWithMessagesButWithoutReplies() {
        Verdict verdict = FaultChecks.judge("kill-dispatch-service", run(1500, 0), VERIFIED, FLOORS, SETTLE);

        assertThat(verdict.passed()).isFalse();
    }

    @Test
    void shouldFailARunWhoseFaultWasNotVerified() {
        // Given a good run in which the fault did no harm (the kill found nothing to kill)
        FaultProof none = new FaultProof(false, "dispatch-service pid 10 -> 10");
        Verdict verdict = FaultChecks.judge("kill-dispatch-service", run(1500, 300), none, FLOORS, SETTLE);

        // Then it fails
        assertThat(verdict.passed()).isFalse();
        assertThat(verdict.notes()).contains("fault NOT verified: dispatch-service pid 10 -> 10");
    }

    @Test
    void shouldFailARunThatLostOrDuplicatedAnything() {
        FaultChecks.Tally good = run(1500, 300);
        FaultChecks.Tally notFolded = new FaultChecks.Tally(1500, 1500, 0, 1500, 0, 0, 1, 0, 300, 300, 0, List.of(),
                Map.of(), 0, true, Map.of(), 0, 0, 0);
        FaultChecks.Tally twice = new FaultChecks.Tally(1500, 1500, 0, 1500, 0, 0, 0, 0, 300, 300, 0, List.of(),
                Map.of(), 0, true, Map.of(), 0, 1, 0);
        FaultChecks.Tally conflicting = new FaultChecks.Tally(1500, 1500, 0, 1500, 0, 0, 0, 0, 300, 300, 0, List.of(),
                Map.of(), 0, true, Map.of("cmd-1", Set.of("REPLY/SENT", "REPLY/FAILED")), 0, 0, 0);
        FaultChecks.Tally givenUp = new FaultChecks.Tally(1500, 1499, 0, 1499, 0, 0, 0, 0, 300, 300, 0, List.of(),
                Map.of(), 0, true, Map.of(), 0, 0, 0);

        assertThat(FaultChecks.judge("s", good, VERIFIED, FLOORS, SETTLE).passed()).isTrue();
        assertThat(FaultChecks.judge("s", notFolded, VERIFIED, FLOORS, SETTLE).lost()).isEqualTo(1);
        assertThat(FaultChecks.judge("s", notFolded, VERIFIED, FLOORS, SETTLE).passed()).isFalse();
        assertThat(FaultChecks.judge("s", twice, VERIFIED, FLOORS, SETTLE).duplicated()).isEqualTo(1);
        assertThat(FaultChecks.judge("s", twice, VERIFIED, FLOORS, SETTLE).passed()).isFalse();
        assertThat(FaultChecks.judge("s", conflicting, VERIFIED, FLOORS, SETTLE).duplicated()).isEqualTo(1);
        assertThat(FaultChecks.judge("s", givenUp, VERIFIED, FLOORS, SETTLE).passed()).isFalse();
    }

    /** A run that lost and duplicated nothing: every message and reply accepted, folded, final, on the phone. */
    private static FaultChecks.Tally run(long messages, long replies) {
        return new FaultChecks.Tally(messages, messages, 0, messages, 0, 0, 0, 0, replies, replies, 0, List.of(),
                replies == 0 ? Map.of() : Map.of("SENT WINDOW_OPEN", replies), 0, true, Map.of(), 0, 0, 0);
    }
}
