package com.answerline.dispatch.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class FreeEntryPointTest {

    static final Instant CLICKED = Instant.parse("2026-11-25T09:00:00Z");
    static final Instant END = CLICKED.plus(Duration.ofHours(72));

    static SessionSnapshot fromAd(boolean freeEntryPoint, Instant unansweredSince) {
        return new SessionSnapshot(5, "100000000000001", "4915112345678", null, "Ada",
                CLICKED.plus(Duration.ofHours(24)), freeEntryPoint, CLICKED, unansweredSince);
    }

    @Test
    void shouldOpenTheFreeEntryPointWithAnAnswerWithin24HoursOfTheAdClick() {
        // Given a customer from an ad whose message nobody answered yet
        SessionSnapshot session = fromAd(true, CLICKED);

        // When the business answers two hours later, then 72 hours are free (counted from the click: never late)
        assertThat(FreeEntryPoint.until(session, CLICKED.plus(Duration.ofHours(2)))).isEqualTo(END);
    }

    @Test
    void shouldOpenNoFreeEntryPointWhenNobodyAnsweredWithin24Hours() {
        assertThat(FreeEntryPoint.until(fromAd(true, CLICKED), CLICKED.plus(Duration.ofHours(24)))).isNull();
        // an older unanswered message (an earlier window) leaves the click unanswered too
        assertThat(FreeEntryPoint.until(fromAd(true, CLICKED.minus(Duration.ofDays(3))),
                CLICKED.plus(Duration.ofHours(30)))).isNull();
    }

    @Test
    void shouldKeepItFreeFor72HoursOnceTheClickWasAnswered() {
        // answered, nothing waiting
        assertThat(FreeEntryPoint.until(fromAd(true, null), CLICKED.plus(Duration.ofHours(50)))).isEqualTo(END);
        // answered, and the customer wrote again later
        assertThat(FreeEntryPoint.until(fromAd(true, CLICKED.plus(Duration.ofHours(40))),
                CLICKED.plus(Duration.ofHours(60)))).isEqualTo(END);
        // over at 72 hours exactly
        assertThat(FreeEntryPoint.until(fromAd(true, null), END)).isNull();
    }

    @Test
    void shouldHaveNoFreeEntryPointWithoutAnAdReferral() {
        assertThat(FreeEntryPoint.until(fromAd(false, null), CLICKED.plusSeconds(60))).isNull();
        assertThat(FreeEntryPoint.until(null, CLICKED)).isNull();
    }
}
