package com.answerline.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Whether a fault really happened, judged from what the probe saw: drills that did no harm must not pass. */
class FaultProofTest {

    private static final Map<String, Long> PIDS = Map.of("kafka", 100L, "registry", 101L, "ingest-service", 102L,
            "session-service", 103L, "dispatch-service", 104L, "provider-sandbox", 105L);
    private static final Map<String, Double> NO_ERRORS = Map.of("whatsapp", 0.0, "sms", 0.0);

    @Test
    void shouldVerifyAKillWhenANewProcessServesAndTheOldOneIsGone() {
        FaultProof proof = FaultProof.judge("kill-session-service", seen(with(PIDS, "session-service", 200L), Set.of(),
                Map.of("session-service", 40), NO_ERRORS));

        assertThat(proof.verified()).as(proof.evidence()).isTrue();
    }

    @Test
    void shouldNotVerifyAKillThatKilledNothing() {
        // Given the service was not running before the "kill" and was started by the repair
        Map<String, Long> before = new java.util.HashMap<>(PIDS);
        before.remove("session-service");
        FaultProof notRunning = FaultProof.judge("kill-session-service", new FaultProof.Observation(before,
                with(PIDS, "session-service", 200L), Set.of(), Map.of("session-service", 40), 50, NO_ERRORS));
        // Or the same process still serves
        FaultProof samePid = FaultProof.judge("kill-session-service", seen(PIDS, Set.of(), Map.of(), NO_ERRORS));
        // Or the old process survived the kill next to a new one
        FaultProof survived = FaultProof.judge("kill-session-service", seen(with(PIDS, "session-service", 200L),
                Set.of("session-service"), Map.of(), NO_ERRORS));

        assertThat(notRunning.verified()).as(notRunning.evidence()).isFalse();
        assertThat(samePid.verified()).as(samePid.evidence()).isFalse();
        assertThat(survived.verified()).as(survived.evidence()).isFalse();
    }

    @Test
    void shouldVerifyAKillOfOneOfTwoOnlyWhenBothRanAndExactlyOneIsGone() {
        Map<String, Long> withSecond = with(PIDS, "dispatch-service-2", 400L);

        Map<String, Long> withoutFirst = new java.util.HashMap<>(withSecond);
        withoutFirst.remove("dispatch-service");
        Map<String, Long> neither = new java.util.HashMap<>(withoutFirst);
        neither.remove("dispatch-service-2");

        FaultProof killed = FaultProof.judge("kill-dispatch-service-of-two", seen(withSecond, PIDS, Set.of()));
        FaultProof killedFirst = FaultProof.judge("kill-dispatch-service-of-two", seen(withSecond, withoutFirst, Set.of()));
        FaultProof bothGone = FaultProof.judge("kill-dispatch-service-of-two", seen(withSecond, neither, Set.of()));
        FaultProof neverStarted = FaultProof.judge("kill-dispatch-service-of-two", seen(PIDS, PIDS, Set.of()));
        FaultProof survived = FaultProof.judge("kill-dispatch-service-of-two", seen(withSecond, withSecond,
                Set.of("dispatch-service-2")));

        assertThat(killed.verified()).as(killed.evidence()).isTrue();
        assertThat(killedFirst.verified()).as(killedFirst.evidence()).isTrue();
        assertThat(bothGone.verified()).as(bothGone.evidence()).isFalse();
        assertThat(neverStarted.verified()).as(neverStarted.evidence()).isFalse();
        assertThat(survived.verified()).as(survived.evidence()).isFalse();
    }

    private static FaultProof.Observation seen(Map<String, Long> before, Map<String, Long> after, Set<String> alive) {
        return new FaultProof.Observation(before, after, alive, Map.of(), 50, NO_ERRORS);
    }

    @Test
    void shouldVerifyABrokerRestartOnlyWhenTheBrokerWasSeenDown() {
        Map<String, Long> restarted = with(PIDS, "kafka", 300L);

        FaultProof seenDown = FaultProof.judge("broker-restart", seen(restarted, Set.of(), Map.of("kafka", 150),
                NO_ERRORS));
        FaultProof neverDown = FaultProof.judge("broker-restart", seen(restarted, Set.of(), Map.of("kafka", 0),
                NO_ERRORS));
        FaultProof notRestarted = FaultProof.judge("registry-down", seen(PIDS, Set.of(), Map.of("registry", 150),
                NO_ERRORS));

        assertThat(seenDown.verified()).as(seenDown.evidence()).isTrue();
        assertThat(neverDown.verified()).as(neverDown.evidence()).isFalse();
        assertThat(notRestarted.verified()).as(notRestarted.evidence()).isFalse();
    }

    @Test
    void shouldVerifyAProviderFaultOnlyWhenDispatchCountedFailedRequests() {
        FaultProof failed = FaultProof.judge("whatsapp-http-500", seen(PIDS, Set.of(), Map.of(),
                Map.of("whatsapp", 12.0, "sms", 0.0)));
        FaultProof answeredFine = FaultProof.judge("whatsapp-http-500", seen(PIDS, Set.of(), Map.of(), NO_ERRORS));
        FaultProof unreadable = FaultProof.judge("whatsapp-timeout", seen(PIDS, Set.of(), Map.of(),
                Map.of("whatsapp", -1.0, "sms", -1.0)));

        assertThat(failed.verified()).as(failed.evidence()).isTrue();
        assertThat(answeredFine.verified()).as(answeredFine.evidence()).isFalse();
        assertThat(unreadable.verified()).as(unreadable.evidence()).isFalse();
    }

    @Test
    void shouldVerifyAScenarioWithoutARuleOfItsOwnOnlyWhenSomethingWasReplacedOrFailed() {
        assertThat(FaultProof.judge("something-new", seen(PIDS, Set.of(), Map.of(), NO_ERRORS)).verified()).isFalse();
        assertThat(FaultProof.judge("something-new", seen(with(PIDS, "dispatch-service", 9L), Set.of(), Map.of(),
                NO_ERRORS)).verified()).isTrue();
    }

    @Test
    void shouldSumDispatchsFailedRequestsPerProviderFromAScrape() {
        String scrape = """
                # HELP answerline_dispatch_provider_errors_total failed provider requests
                answerline_dispatch_provider_errors_total{code="131000",kind="transient",provider="whatsapp"} 3.0
                answerline_dispatch_provider_errors_total{code="130429",kind="number_throughput",provider="whatsapp"} 2.0
                answerline_dispatch_provider_errors_total{code="20429",kind="transient",provider="sms"} 1.0
                answerline_dispatch_provider_requests_seconds_count{outcome="ok",provider="whatsapp"} 99.0
                """;

        assertThat(FaultProbe.providerErrors(scrape)).containsEntry("whatsapp", 5.0).containsEntry("sms", 1.0);
        assertThat(FaultProbe.providerErrors("")).containsEntry("whatsapp", 0.0);
    }

    private static FaultProof.Observation seen(Map<String, Long> after, Set<String> stillAlive,
                                               Map<String, Integer> down, Map<String, Double> errors) {
        return new FaultProof.Observation(PIDS, after, stillAlive, down, 50, errors);
    }

    private static Map<String, Long> with(Map<String, Long> pids, String component, long pid) {
        Map<String, Long> changed = new java.util.HashMap<>(pids);
        changed.put(component, pid);
        return changed;
    }
}
