package com.answerline.sandbox.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each business number's Direct Send status: configured, changed at run time, blocked by the fault, reset. */
class DirectSendEligibilityTest {

    private static final String DEMO = "100000000000001";
    private static final String OTHER = "100000000000002";

    private final DirectSendEligibility eligibility = new DirectSendEligibility(ordered(
            DEMO, DirectSendStatus.ENABLED, OTHER, DirectSendStatus.NOT_ENABLED));

    @Test
    void shouldStartFromTheConfiguredStatusesAndKnowNoOtherNumber() {
        assertThat(eligibility.of(DEMO)).contains(DirectSendStatus.ENABLED);
        assertThat(eligibility.of(OTHER)).contains(DirectSendStatus.NOT_ENABLED);
        assertThat(eligibility.of("999")).isEmpty();
        assertThat(eligibility.all()).containsExactly(Map.entry(DEMO, DirectSendStatus.ENABLED),
                Map.entry(OTHER, DirectSendStatus.NOT_ENABLED));
    }

    @Test
    void shouldChangeNothingWhenOneNumberOfAChangeIsUnknown() {
        assertThatThrownBy(() -> eligibility.set(ordered(DEMO, DirectSendStatus.BLOCKED, "999", DirectSendStatus.BLOCKED)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("999");

        assertThat(eligibility.of(DEMO)).contains(DirectSendStatus.ENABLED);
    }

    @Test
    void shouldKeepANumberBlockedByTheFaultUntilResetToItsConfiguredStatus() {
        eligibility.block(DEMO);
        eligibility.block("999");
        eligibility.set(Map.of(OTHER, DirectSendStatus.ENABLED));

        assertThat(eligibility.of(DEMO)).contains(DirectSendStatus.BLOCKED);
        assertThat(eligibility.of("999")).isEmpty();
        eligibility.reset();
        assertThat(eligibility.of(DEMO)).contains(DirectSendStatus.ENABLED);
        assertThat(eligibility.of(OTHER)).contains(DirectSendStatus.NOT_ENABLED);
    }

    @Test
    void shouldRefuseWithMetasCodesOnlyWhenNotEnabled() {
        assertThat(DirectSendStatus.ENABLED.refusal()).isEmpty();
        assertThat(DirectSendStatus.NOT_ENABLED.refusal()).hasValueSatisfying(e -> {
            assertThat(e.code()).isEqualTo(100);
            assertThat(e.message()).contains("Direct Send isn't enabled for this account");
        });
        assertThat(DirectSendStatus.BLOCKED.refusal()).hasValueSatisfying(e -> {
            assertThat(e.code()).isEqualTo(139200);
            assertThat(e.message()).contains("Direct Send utility or authentication access is blocked");
        });
    }

    private static Map<String, DirectSendStatus> ordered(String a, DirectSendStatus aStatus, String b,
            DirectSendStatus bStatus) {
        Map<String, DirectSendStatus> map = new LinkedHashMap<>();
        map.put(a, aStatus);
        map.put(b, bStatus);
        return map;
    }
}
