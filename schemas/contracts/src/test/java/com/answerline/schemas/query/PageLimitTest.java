package com.answerline.schemas.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PageLimitTest {

    private final PageLimit limit = new PageLimit(50, 100);

    @Test
    void shouldTakeTheDefaultWhenNoneIsAskedFor() {
        assertThat(limit.parse(null)).hasValue(50);
        assertThat(limit.parse(" ")).hasValue(50);
    }

    @Test
    void shouldTakeAWholeNumberFromOneToTheMaximum() {
        assertThat(limit.parse("1")).hasValue(1);
        assertThat(limit.parse(" 100 ")).hasValue(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "-1", "1.5", "ten", "99999999999", "1e2"})
    void shouldRefuseAnythingElse(String value) {
        assertThat(limit.parse(value)).isEmpty();
        assertThat(limit.rule()).isEqualTo("must be a whole number from 1 to 100");
    }

    @Test
    void shouldRefuseADefaultOutsideItsRange() {
        assertThatThrownBy(() -> new PageLimit(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PageLimit(20, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
