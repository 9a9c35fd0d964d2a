package com.answerline.ingest.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class CustomerNumbersTest {

    @ParameterizedTest
    @ValueSource(strings = {"31612345678", "15550000001", "4915112345678", "447911123456"})
    void shouldAcceptPossibleE164Numbers(String digits) {
        assertThat(CustomerNumbers.isPossiblePhone(digits)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"123", "0612345678", "999123456789", "3161234567890123", "+31612345678", "31 612345678",
            "316123456789012"})
    void shouldRefuseNumbersThatCannotBeE164(String digits) {
        assertThat(CustomerNumbers.isPossiblePhone(digits)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"US.13491208655302741918", "US.ENT.1122334455", "NL.a1"})
    void shouldRecogniseBsuids(String value) {
        assertThat(CustomerNumbers.isBsuid(value)).isTrue();
    }
}
