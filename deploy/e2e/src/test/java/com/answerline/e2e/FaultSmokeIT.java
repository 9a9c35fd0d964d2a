package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.answerline.bench.faults.FaultSuite;
import com.answerline.bench.report.Report;
import com.answerline.bench.stack.Endpoints;
import com.answerline.bench.stack.Stack;

/**
 * The fault suite's smoke mode (deploy/bench/faults --smoke) against the e2e run's stack, last of the run (it kills
 * dispatch-service and restarts it): under light steady traffic, every accepted message folded exactly once, every
 * accepted reply with exactly one final outcome, no duplicate on the sandbox phones, every service up afterwards.
 */
@Order(Integer.MAX_VALUE)
@ExtendWith(LocalStackExtension.class)
class FaultSmokeIT {

    @Test
    void shouldLoseAndDuplicateNothingThroughACrashAndAProviderOutage() {
        Stack stack = LocalStackExtension.stack();

        Report report = FaultSuite.run(FaultSuite.Plan.smoke(), Endpoints.fromEnvironment(), stack);
        report.print(System.out);

        assertThat(report.checks()).hasSize(3)
                .allSatisfy(check -> assertThat(check.passed()).as(check.describe()).isTrue());
    }
}
