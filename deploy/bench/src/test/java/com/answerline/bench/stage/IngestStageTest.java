package com.answerline.bench.stage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.answerline.bench.report.Check;

/** The ingest stage's check fed runs that must fail. */
class IngestStageTest {

    private static final IngestStage.Settings SETTINGS = new IngestStage.Settings(1000, 30_000, 64, 50_000, 2_000, 500);

    @Test
    void shouldFailARunInWhichEveryWebhookGot503OrWasNeverSent() {
        // Given a run in which nothing was accepted: nothing published, nothing dead-lettered, "published >= accepted"
        Check nothingAccepted = IngestStage.published(0, 0, 0, IngestStage.acceptedFloor(SETTINGS));

        // Then the check fails: it proves nothing about ingest
        assertThat(nothingAccepted.passed()).as(nothingAccepted.detail()).isFalse();
    }

    @Test
    void shouldPassOnlyWhenEnoughWereAcceptedAndEveryAcceptedOneIsOnTheTopic() {
        long floor = IngestStage.acceptedFloor(SETTINGS);

        assertThat(floor).isEqualTo(15_000);
        assertThat(IngestStage.published(82_000, 82_000, 0, floor).passed()).isTrue();
        assertThat(IngestStage.published(14_999, 14_999, 0, floor).passed()).isFalse();
        assertThat(IngestStage.published(81_999, 82_000, 0, floor).passed()).isFalse();
        assertThat(IngestStage.published(82_000, 82_000, 1, floor).passed()).isFalse();
    }
}
