package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.answerline.bench.Bench;
import com.answerline.bench.report.Figure;
import com.answerline.bench.report.Report;
import com.answerline.bench.stack.Endpoints;
import com.answerline.bench.stack.Stack;

/**
 * The benchmark's smoke mode (deploy/bench/benchmark --smoke) against the e2e run's stack: every stage runs with its
 * baseline and passes its correctness checks. The figures are printed, never asserted (2 shared cores, a stack that
 * ran the other tests: they mean little here, see docs/benchmarks.md for measured ones).
 */
@Order(Integer.MAX_VALUE - 1)
@ExtendWith(LocalStackExtension.class)
class BenchSmokeIT {

    @Test
    void shouldRunEveryStageWithItsBaselineAndLoseNothing() throws Exception {
        Stack stack = LocalStackExtension.stack();

        Report report = Bench.run(Bench.Plan.smoke(), Set.of("kafka", "ingest", "fold", "dispatch", "e2e"),
                Endpoints.fromEnvironment(), stack, LocalStackExtension.repoRoot().resolve("deploy/local/kafka/target/lib"));
        report.print(System.out);

        assertThat(report.figures()).extracting(Figure::stage)
                .contains("kafka", "ingest", "fold", "dispatch", "e2e", "memory");
        assertThat(report.figures()).filteredOn(f -> f.stage().equals("ingest") && f.baseline() != null)
                .as("ingest figures carry the no-op HTTP baseline").isNotEmpty();
        assertThat(report.checks()).hasSizeGreaterThanOrEqualTo(8)
                .allSatisfy(check -> assertThat(check.passed()).as(check.describe()).isTrue());
    }
}
