package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.answerline.bench.badinput.BadInputSuite;
import com.answerline.bench.report.Check;
import com.answerline.bench.report.Report;
import com.answerline.bench.stack.Endpoints;
import com.answerline.bench.stack.Stack;

/**
 * The bad-input suite's smoke mode (deploy/bench/bad-inputs --smoke) against the e2e run's stack, after the other
 * tests (its poison records and bad requests must not disturb them): no 5xx but the documented 503 on any endpoint,
 * every poison record on its dead-letter topic with a cause, the good traffic among and behind the bad input
 * processed once, every service still healthy.
 */
@Order(Integer.MAX_VALUE - 2)
@ExtendWith(LocalStackExtension.class)
class BadInputSmokeIT {

    @Test
    void shouldAnswerBadInputCleanlyDeadLetterPoisonAndKeepProcessingGoodInput() {
        Stack stack = LocalStackExtension.stack();

        Report report = BadInputSuite.run(BadInputSuite.Plan.smoke(), Endpoints.fromEnvironment(), stack);
        report.print(System.out);

        assertThat(report.checks()).extracting(Check::stage).contains("http", "kafka", "liveness");
        assertThat(report.checks()).filteredOn(c -> c.stage().equals("kafka")).hasSizeGreaterThanOrEqualTo(11);
        assertThat(report.checks()).allSatisfy(check -> assertThat(check.passed()).as(check.describe()).isTrue());
    }
}
