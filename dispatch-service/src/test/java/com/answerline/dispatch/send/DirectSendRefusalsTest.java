package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.answerline.avro.DirectSendAccessEntry;
import com.answerline.avro.DirectSendAccessState;
import com.answerline.dispatch.decision.DirectSendAccess;

class DirectSendRefusalsTest {

    static final Instant REFUSED_AT = Instant.parse("2026-12-07T09:00:00Z");
    static final String NUMBER = "100000000000001";

    final List<DirectSendAccessEntry> written = new ArrayList<>();
    final DirectSendRefusals refusals = new DirectSendRefusals(number -> Duration.ofHours(24), written::add);

    @Test
    void shouldKeepARefusedNumberFromDirectSendUntilItsRecheckTime() {
        // Given WhatsApp refused Direct Send of the number with 139200
        refusals.refused("demo", NUMBER, DirectSendAccess.BLOCKED_CODE, "blocked", "cmd-1", REFUSED_AT);

        // When / Then: refused until 24 h later, then it may try again by itself
        assertThat(refusals.refusal(NUMBER, REFUSED_AT.plus(Duration.ofHours(23))))
                .contains(new DirectSendAccess.Refusal(139200, REFUSED_AT, REFUSED_AT.plus(Duration.ofHours(24))));
        assertThat(refusals.refusal(NUMBER, REFUSED_AT.plus(Duration.ofHours(24)))).isEmpty();
        assertThat(refusals.refusal("100000000000002", REFUSED_AT)).as("another number").isEmpty();
        assertThat(written).singleElement().satisfies(entry -> assertThat(entry.getState()).isEqualTo(DirectSendAccessState.REFUSED));
    }

    @Test
    void shouldLiftARefusalAtOnceWhenAnOperatorReenablesTheNumber() {
        // Given a number refused with 100
        refusals.refused("demo", NUMBER, DirectSendAccess.NOT_ENABLED_CODE, null, "cmd-1", REFUSED_AT);

        // When an operator re-enables it an hour later
        var lifted = refusals.reenable("demo", NUMBER, "sre-anna", REFUSED_AT.plus(Duration.ofHours(1)));

        // Then the refusal that was in force is answered, none is in force any more, and every instance is told
        assertThat(lifted).hasValueSatisfying(refusal -> assertThat(refusal.code()).isEqualTo(100));
        assertThat(refusals.refusal(NUMBER, REFUSED_AT.plus(Duration.ofHours(1)))).isEmpty();
        assertThat(written).extracting(DirectSendAccessEntry::getState)
                .containsExactly(DirectSendAccessState.REFUSED, DirectSendAccessState.REENABLED);
        assertThat(written.get(1).getChangedBy()).isEqualTo("sre-anna");
    }

    @Test
    void shouldLearnOtherInstancesRefusalsFromTheSharedRecordAndCountThemByCode() {
        // Given refusals another instance wrote, read back from the topic
        refusals.apply(entry("100000000000001", 100));
        refusals.apply(entry("100000000000002", 139200));

        // When / Then: both are in force here, counted by code (the gauge)
        assertThat(refusals.refusal("100000000000002", REFUSED_AT)).hasValueSatisfying(r -> assertThat(r.blocked()).isTrue());
        assertThat(refusals.refusedNumbers(100, REFUSED_AT)).isEqualTo(1);
        assertThat(refusals.refusedNumbers(139200, REFUSED_AT)).isEqualTo(1);
        assertThat(refusals.refusedNumbers(139200, REFUSED_AT.plus(Duration.ofDays(1)))).as("after the re-check time").isZero();
        assertThat(written).isEmpty();
    }

    @Test
    void shouldKeepARefusalOnlyReenablingCanLiftWhenTheRecheckIsOff() {
        // Given a tenant without a re-check time
        DirectSendRefusals manual = new DirectSendRefusals(number -> Duration.ZERO, entry -> { });
        manual.refused("demo", NUMBER, 100, null, "cmd-1", REFUSED_AT);

        // When / Then: refused a year later still, with no re-check time
        assertThat(manual.refusal(NUMBER, REFUSED_AT.plus(Duration.ofDays(365))))
                .hasValueSatisfying(refusal -> assertThat(refusal.recheckAt()).isNull());
    }

    @Test
    void shouldKeepARefusalLocallyWhenTheSharedRecordCannotBeWrittenButFailAReenablingThatWasNotWritten() {
        // Given a topic that cannot be written
        DirectSendRefusals offline = new DirectSendRefusals(number -> Duration.ofHours(24), entry -> {
            throw new IllegalStateException("broker away");
        });

        // When a refusal comes: this instance still knows it (the reply goes on; no exception)
        offline.refused("demo", NUMBER, 100, null, "cmd-1", REFUSED_AT);
        assertThat(offline.refusal(NUMBER, REFUSED_AT)).isPresent();

        // Then an operator's re-enabling fails loudly and changes nothing
        assertThatThrownBy(() -> offline.reenable("demo", NUMBER, "sre-anna", REFUSED_AT)).hasMessage("broker away");
        assertThat(offline.refusal(NUMBER, REFUSED_AT)).isPresent();
    }

    private static DirectSendAccessEntry entry(String number, int code) {
        return DirectSendAccessEntry.newBuilder().setPhoneNumberId(number).setTenantId("demo")
                .setState(DirectSendAccessState.REFUSED).setErrorCode(code).setChangedAt(REFUSED_AT).build();
    }
}
