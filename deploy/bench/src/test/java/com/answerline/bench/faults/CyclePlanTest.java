package com.answerline.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Objects;

import org.junit.jupiter.api.Test;

class CyclePlanTest {

    @Test
    void shouldDrawTheSamePlanFromTheSameSeed() {
        // When the plan of 50 cycles is drawn twice from one seed, and once from another
        CyclePlan first = CyclePlan.draw(50, 42);
        CyclePlan again = CyclePlan.draw(50, 42);
        CyclePlan other = CyclePlan.draw(50, 43);

        // Then a run can be repeated, and another seed is another run
        assertThat(again).isEqualTo(first);
        assertThat(other.cycles()).isNotEqualTo(first.cycles());
    }

    @Test
    void shouldKillAServiceInstanceInEveryCycleAndMixInEveryProviderFault() {
        // When 50 cycles are drawn
        CyclePlan plan = CyclePlan.draw(50, 7);

        // Then each cycle kills one of the five instances (never the sandbox), all of them get killed, and every
        // provider fault appears, in some cycles only
        assertThat(plan.cycles()).hasSize(50).allSatisfy(cycle ->
                assertThat(CyclePlan.INSTANCES).contains(cycle.kill()));
        assertThat(plan.cycles()).extracting(CyclePlan.Cycle::kill).containsAll(CyclePlan.INSTANCES);
        assertThat(plan.cycles()).extracting(CyclePlan.Cycle::providerFault).filteredOn(Objects::nonNull)
                .containsAll(CyclePlan.PROVIDER_FAULTS);
        assertThat(plan.cycles()).extracting(CyclePlan.Cycle::providerFault).containsNull();
    }

    @Test
    void shouldRestartTheBrokerTwiceAThirdAndTwoThirdsIntoTheRun() {
        // Then 50 cycles restart it in cycles 17 and 34 (from 1), 3 cycles in the 2nd and 3rd, 1 cycle once
        assertThat(CyclePlan.draw(50, 1).cycles()).filteredOn(CyclePlan.Cycle::brokerRestart)
                .extracting(CyclePlan.Cycle::index).containsExactly(16, 33);
        assertThat(CyclePlan.draw(3, 1).cycles()).filteredOn(CyclePlan.Cycle::brokerRestart)
                .extracting(CyclePlan.Cycle::index).containsExactly(1, 2);
        assertThat(CyclePlan.draw(1, 1).brokerRestarts()).isEqualTo(1);
    }

    @Test
    void shouldRefuseNoCycles() {
        assertThatThrownBy(() -> CyclePlan.draw(0, 1)).hasMessageContaining("--cycles");
    }
}
