package com.answerline.bench.stage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The count of replies without a final outcome (fault and bad-input suites) fed a run that lost one. */
class OutcomesTest {

    @Test
    void shouldCountAReplyWithoutOutcomePerCommandEvenWhenOtherCommandsOutcomesWereRead() {
        // Given three commands, one of them lost, and the reader (following whole conversations) read the outcomes of
        // the two others and of two commands the run did not make
        Set<String> commands = Set.of("cmd-1", "cmd-2", "cmd-3");
        Map<String, String> finals = Map.of("cmd-1", "SENT", "cmd-2", "SENT", "cmd-other-1", "SENT",
                "cmd-other-2", "FAILED");

        // Then one is without an outcome (commands.size() - finals.size() would say -1, hiding the loss)
        assertThat(commands.size() - finals.size()).isNegative();
        assertThat(Outcomes.withoutFinal(commands, finals)).isEqualTo(1);
        assertThat(Outcomes.withoutFinal(Set.of("cmd-1"), finals)).isZero();
    }
}
