package com.answerline.dispatch.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

import com.answerline.avro.CostEstimate;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.dispatch.support.TestPriceList;

class CostEstimatorTest {

    static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();
    /** Under the rules since July 2025 (service and in-window utility free). */
    static final Instant SEPTEMBER_2026 = Instant.parse("2026-09-30T23:59:59Z");
    /** Under the rules since 1 October 2026 (service and in-window utility at the utility rate). */
    static final Instant OCTOBER_2026 = Instant.parse("2026-10-01T00:00:00Z");

    static Map<String, String> priceList() {
        return TestPriceList.config();
    }

    static PricingProperties bind(Map<String, String> config) {
        return TestPriceList.bind(config);
    }

    final CostEstimator estimator = new CostEstimator(bind(priceList()));

    @Nested
    class ServiceMessages {

        @Test
        void shouldPriceAFreeFormReplyInsideTheWindowAsFreeBeforeOctober2026() {
            assertThat(estimator.service("DE", null, SEPTEMBER_2026))
                    .isEqualTo(cost(0, "SERVICE free in window since 2025-07-01"));
        }

        @Test
        void shouldChargeAFreeFormReplyAtTheMarketsUtilityRateFromOctober2026() {
            assertThat(estimator.service("DE", null, OCTOBER_2026))
                    .isEqualTo(cost(45_600, "SERVICE at UTILITY rate DE since 2026-10-01"));
        }

        @Test
        void shouldChargeAnUnknownRegionAtTheDefaultUtilityRate() {
            assertThat(estimator.service("FR", null, OCTOBER_2026))
                    .isEqualTo(cost(20_000, "SERVICE at UTILITY rate default since 2026-10-01"));
            // a BSUID-only customer: no phone, no region
            assertThat(estimator.service(RecipientRegion.of(null), null, OCTOBER_2026))
                    .isEqualTo(cost(20_000, "SERVICE at UTILITY rate default since 2026-10-01"));
        }

        @Test
        void shouldMakeAFreeFormReplyFreeInsideTheFreeEntryPoint() {
            Instant until = OCTOBER_2026.plusSeconds(3600);

            assertThat(estimator.service("DE", until, OCTOBER_2026))
                    .isEqualTo(cost(0, "FREE_ENTRY_POINT SERVICE until 2026-10-01T01:00:00Z"));
            // at its end exactly it is over
            assertThat(estimator.service("DE", until, until).getAmountMicros()).isEqualTo(45_600);
        }
    }

    @Nested
    class DirectSend {

        @Test
        void shouldPriceADirectSendAtTheRecipientsUtilityRateOutsideTheWindowUnderThePricingInForce() {
            assertThat(estimator.directSend("DE", null, OCTOBER_2026))
                    .isEqualTo(cost(45_600, "DIRECT_SEND at UTILITY rate DE since 2026-10-01"));
            assertThat(estimator.directSend(null, null, SEPTEMBER_2026))
                    .isEqualTo(cost(20_000, "DIRECT_SEND at UTILITY rate default since 2025-07-01"));
        }

        @Test
        void shouldMakeADirectSendFreeInsideTheFreeEntryPoint() {
            Instant until = OCTOBER_2026.plusSeconds(3600);

            assertThat(estimator.directSend("DE", until, OCTOBER_2026))
                    .isEqualTo(cost(0, "FREE_ENTRY_POINT DIRECT_SEND until 2026-10-01T01:00:00Z"));
        }
    }

    @Nested
    class Templates {

        @Test
        void shouldPriceATemplateByCategoryAndRecipientCountry() {
            assertThat(estimator.template("MARKETING", "DE", false, null, OCTOBER_2026))
                    .isEqualTo(cost(113_100, "TEMPLATE MARKETING DE since 2026-10-01"));
            assertThat(estimator.template("UTILITY", "DE", false, null, SEPTEMBER_2026))
                    .isEqualTo(cost(45_600, "TEMPLATE UTILITY DE since 2025-07-01"));
            assertThat(estimator.template("AUTHENTICATION", "DE", false, null, OCTOBER_2026))
                    .isEqualTo(cost(56_800, "TEMPLATE AUTHENTICATION DE since 2026-10-01"));
        }

        @Test
        void shouldUseTheCategoryDefaultForACountryNotListed() {
            assertThat(estimator.template("MARKETING", "FR", false, null, OCTOBER_2026))
                    .isEqualTo(cost(80_000, "TEMPLATE MARKETING default since 2026-10-01"));
            assertThat(estimator.template("UTILITY", null, false, null, OCTOBER_2026))
                    .isEqualTo(cost(20_000, "TEMPLATE UTILITY default since 2026-10-01"));
        }

        @Test
        void shouldAssumeTheConfiguredCategoryForATemplateWithoutOneAndSaySo() {
            assertThat(estimator.template(null, "DE", false, null, OCTOBER_2026))
                    .isEqualTo(cost(45_600, "TEMPLATE UTILITY DE since 2026-10-01 (category unknown)"));
            assertThat(estimator.template("SOMETHING_NEW", "DE", false, null, OCTOBER_2026))
                    .isEqualTo(cost(45_600, "TEMPLATE UTILITY DE since 2026-10-01 (category unknown)"));
        }

        @Test
        void shouldMakeAUtilityTemplateInsideTheWindowFreeBeforeOctober2026AndChargeItFromThen() {
            assertThat(estimator.template("UTILITY", "DE", true, null, SEPTEMBER_2026))
                    .isEqualTo(cost(0, "TEMPLATE UTILITY DE in window free since 2025-07-01"));
            assertThat(estimator.template("UTILITY", "DE", true, null, OCTOBER_2026))
                    .isEqualTo(cost(45_600, "TEMPLATE UTILITY DE in window since 2026-10-01"));
        }

        @Test
        void shouldChargeAMarketingTemplateInsideTheWindowUnderEitherRules() {
            assertThat(estimator.template("MARKETING", "DE", true, null, SEPTEMBER_2026).getAmountMicros()).isEqualTo(113_100);
            assertThat(estimator.template("AUTHENTICATION", "DE", true, null, OCTOBER_2026).getAmountMicros()).isEqualTo(56_800);
        }

        @Test
        void shouldMakeAnyTemplateFreeInsideTheFreeEntryPoint() {
            Instant until = OCTOBER_2026.plusSeconds(60);

            assertThat(estimator.template("MARKETING", "DE", false, until, OCTOBER_2026))
                    .isEqualTo(cost(0, "FREE_ENTRY_POINT TEMPLATE MARKETING until 2026-10-01T00:01:00Z"));
        }

        @Test
        void shouldChargeInsideTheFreeEntryPointWhenAPeriodMakesItRegular() {
            Map<String, String> config = priceList();
            config.put("periods[1].free-entry-point", "REGULAR");

            assertThat(new CostEstimator(bind(config)).template("MARKETING", "DE", false, OCTOBER_2026.plusSeconds(60),
                    OCTOBER_2026)).isEqualTo(cost(113_100, "TEMPLATE MARKETING DE since 2026-10-01"));
        }

        @Test
        void shouldCountClosingAsInsideTheWindowLikeWhatsAppDoes() {
            assertThat(CostEstimator.insideWindow(WindowState.OPEN)).isTrue();
            assertThat(CostEstimator.insideWindow(WindowState.CLOSING)).isTrue();
            assertThat(CostEstimator.insideWindow(WindowState.CLOSED)).isFalse();
            assertThat(CostEstimator.insideWindow(WindowState.NEVER_OPENED)).isFalse();
        }
    }

    @Nested
    class Sms {

        @Test
        void shouldPriceSmsPerSegmentByCountry() {
            assertThat(estimator.sms(1, "DE", OCTOBER_2026)).isEqualTo(cost(75_000, "SMS 1 x DE since 2026-10-01"));
            assertThat(estimator.sms(3, "DE", SEPTEMBER_2026)).isEqualTo(cost(225_000, "SMS 3 x DE since 2025-07-01"));
            assertThat(estimator.sms(2, "FR", OCTOBER_2026)).isEqualTo(cost(180_000, "SMS 2 x default since 2026-10-01"));
        }

        @Test
        void shouldPriceByThePriceInForceWhenSentAsALaterPeriodChangedIt() {
            assertThat(estimator.sms(2, "GB", SEPTEMBER_2026)).isEqualTo(cost(80_000, "SMS 2 x GB since 2025-07-01"));
            assertThat(estimator.sms(2, "GB", OCTOBER_2026)).isEqualTo(cost(90_000, "SMS 2 x GB since 2026-10-01"));
        }

        @Test
        void shouldPriceAnSmsWithoutASegmentCountAsOneSegmentAndSaySo() {
            assertThat(estimator.sms(null, "DE", OCTOBER_2026))
                    .isEqualTo(cost(75_000, "SMS 1 x DE since 2026-10-01 (segments unknown)"));
        }
    }

    @Test
    void shouldPriceAMessageSentBeforeTheFirstPeriodByItAndSaySo() {
        assertThat(estimator.sms(1, "DE", Instant.parse("2025-06-30T12:00:00Z")))
                .isEqualTo(cost(75_000, "SMS 1 x DE since 2025-07-01 (sent before it: the earliest prices)"));
    }

    @Test
    void shouldTellTheRecipientsCountryFromItsNumber() {
        assertThat(RecipientRegion.of("4915112345678")).isEqualTo("DE");
        assertThat(RecipientRegion.of("+447700900123")).isEqualTo("GB");
        // +1 555 test numbers are not "valid" anywhere: the country code's main region prices them
        assertThat(RecipientRegion.of("15550000001")).isEqualTo("US");
        assertThat(RecipientRegion.of("not-a-number")).isNull();
        assertThat(RecipientRegion.of("")).isNull();
    }

    @Nested
    class Configuration {

        @Test
        void shouldAcceptTheLocalDevelopmentPriceListWithTheOctober2026Change() {
            PricingProperties production = ProductionConfig.pricingProperties();
            CostEstimator local = new CostEstimator(production);

            assertThat(VALIDATOR.validate(production)).isEmpty();
            assertThat(production.currency()).isEqualTo("EUR");
            assertThat(production.periods()).extracting(PricingProperties.Period::from)
                    .containsExactly(LocalDate.parse("2025-07-01"), LocalDate.parse("2026-10-01"));
            assertThat(local.service("DE", null, SEPTEMBER_2026).getAmountMicros()).isZero();
            assertThat(local.service("DE", null, OCTOBER_2026).getAmountMicros()).isEqualTo(45_600);
            assertThat(local.template("UTILITY", "DE", true, null, OCTOBER_2026).getAmountMicros()).isEqualTo(45_600);
        }

        @Test
        void shouldRejectAnIncompleteFirstPeriodAndBadValues() {
            Map<String, String> config = priceList();
            config.put("currency", "EURO");
            config.remove("periods[0].template.AUTHENTICATION.default");
            config.remove("periods[0].template.AUTHENTICATION.de");
            config.put("periods[0].sms.XX", "0.01");
            config.put("periods[0].template.MARKETING.FR", "-0.01");
            config.put("periods[1].template.SERVICE.default", "0.01");
            config.put("unknown-category", "SERVICE");

            assertThat(violations(bind(config))).containsExactlyInAnyOrder(
                    "currencyValid", "firstPeriodComplete", "categoriesKnown", "regionsKnown", "unknownCategoryValid",
                    "periods[0].template[MARKETING].<map value>[FR].<map value>");
        }

        @Test
        void shouldRejectAFirstPeriodWithoutItsDefaultsOrRules() {
            for (String missing : new String[] {"periods[0].template.UTILITY.default", "periods[0].sms.default",
                    "periods[0].service", "periods[0].free-entry-point"}) {
                Map<String, String> config = priceList();
                config.remove(missing);

                assertThat(violations(bind(config))).as(missing).containsExactly("firstPeriodComplete");
            }
        }

        @Test
        void shouldRejectUnsortedOrOverlappingPeriods() {
            Map<String, String> unsorted = priceList();
            unsorted.put("periods[1].from", "2025-01-01");
            Map<String, String> sameDay = priceList();
            sameDay.put("periods[1].from", "2025-07-01");

            assertThat(violations(bind(unsorted))).containsExactly("periodsInOrder");
            assertThat(violations(bind(sameDay))).containsExactly("periodsInOrder");
        }

        @Test
        void shouldRejectAPriceListWithoutPeriodsOrAPeriodWithoutADate() {
            Map<String, String> none = new LinkedHashMap<>(Map.of("currency", "EUR"));
            Map<String, String> undated = priceList();
            undated.remove("periods[1].from");

            assertThat(violations(bind(none))).containsExactly("periods");
            assertThat(violations(bind(undated))).containsExactly("periods[1].from");
        }

        @Test
        void shouldStartWithThePriceListAndRefuseToStartWithTheFlatKeysOfTheOldOne() {
            contextWith(priceList()).run(context -> assertThat(context).hasNotFailed().hasSingleBean(PricingProperties.class));
            for (String old : new String[] {"free-form-in-window", "utility-in-window-free", "sms.DE", "template.UTILITY.DE"}) {
                Map<String, String> config = priceList();
                config.put(old, "0");

                // Not ignored: a deployment that set them would otherwise get other prices without a word
                contextWith(config).run(context -> assertThat(context).as(old).getFailure()
                        .rootCause().hasMessageContaining("answerline.dispatch.pricing"));
            }
        }

        @Test
        void shouldRefuseToStartWithUnsortedPeriods() {
            Map<String, String> unsorted = priceList();
            unsorted.put("periods[1].from", "2025-01-01");

            contextWith(unsorted).run(context -> assertThat(context).getFailure()
                    .hasStackTraceContaining("periods must be in order of 'from'"));
        }

        private static ApplicationContextRunner contextWith(Map<String, String> config) {
            return new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                    .withUserConfiguration(Enabled.class)
                    .withPropertyValues(config.entrySet().stream()
                            .map(e -> "answerline.dispatch.pricing." + e.getKey() + "=" + e.getValue())
                            .toArray(String[]::new));
        }
    }

    @EnableConfigurationProperties(PricingProperties.class)
    static class Enabled {
    }

    private static Set<String> violations(PricingProperties properties) {
        return VALIDATOR.validate(properties).stream()
                .map(ConstraintViolation::getPropertyPath)
                .map(Object::toString)
                .collect(Collectors.toSet());
    }

    static CostEstimate cost(long micros, String basis) {
        return CostEstimate.newBuilder().setCurrency("EUR").setAmountMicros(micros).setBasis(basis).build();
    }
}
