package com.answerline.dispatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.junit.jupiter.api.Test;

import com.answerline.dispatch.support.ProductionConfig;

class HoldPropertiesTest {

    final Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

    @Test
    void shouldHoldAnswersForSevenDaysByDefault() {
        HoldProperties properties = ProductionConfig.holdProperties();

        assertThat(validator.validate(properties)).isEmpty();
        assertThat(properties.expireAfter()).isEqualTo(Duration.ofDays(7));
        assertThat(properties.checkInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void shouldRefuseAnExpiryOrCheckIntervalThatIsNotPositive() {
        assertThat(validator.validate(new HoldProperties(Duration.ZERO, Duration.ofMinutes(1))))
                .extracting(v -> v.getPropertyPath().toString()).containsExactly("expireAfterPositive");
        assertThat(validator.validate(new HoldProperties(Duration.ofDays(7), Duration.ofSeconds(-1))))
                .extracting(v -> v.getPropertyPath().toString()).containsExactly("checkIntervalPositive");
        assertThat(validator.validate(new HoldProperties(null, null)))
                .extracting(v -> v.getPropertyPath().toString()).containsExactlyInAnyOrder("expireAfter", "checkInterval");
    }
}
