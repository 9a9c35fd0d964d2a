package com.answerline.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which plans hold a takeover to its bound: the full suite does; the smoke mode (the test suite's) reports it. */
class FaultSuitePlanTest {

    @Test
    void shouldEnforceTheTakeoverBoundInTheFullSuiteOnly() {
        assertThat(FaultSuite.Plan.full().enforcesTakeover()).isTrue();
        assertThat(FaultSuite.Plan.full().only(java.util.List.of("kill-dispatch-service")).enforcesTakeover()).isTrue();
        assertThat(FaultSuite.Plan.smoke().enforcesTakeover()).isFalse();
    }
}
