package com.answerline.dispatch.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import com.answerline.avro.CostEstimate;
import com.answerline.dispatch.support.ProductionConfig;

class CostEstimatorTest {

    static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    /** A small price list, as it would arrive from application.yml or the environment (keys in any case). */
    static Map<String, String> priceList() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("currency", "EUR");
        config.put("template.MARKETING.default", "0.08");
        config.put("template.MARKETING.DE", "0.1131");
        config.put("template.UTILITY.default", "0.02");
        config.put("template.UTILITY.DE", "0.0456");
        config.put("template.AUTHENTICATION.default", "0.03");
        config.put("template.AUTHENTICATION.de", "0.0568");
        config.put("sms.default", "0.09");
        config.put("sms.DE", "0.075");
        config.put("sms.gb", "0.04");
        return config;
    }

    static PricingProperties bind(Map<String, String> config) {
        Map<String, String> prefixed = config.entrySet().stream().collect(Collectors.toMap(
                e -> "answerline.dispatch.pricing." + e.getKey(), Map.Entry::getValue));
        return new Binder(new MapConfigurationPropertySource(prefixed))
                .bind("answerline.dispatch.pricing", PricingProperties.class).get();
    }

    final CostEstimator estimator = new CostEstimator(bind(priceList()));

    @Test
    void shouldPriceATemplateByCategoryAndRecipientCountry() {
        assertThat(estimator.template("MARKETING", "DE", false)).isEqualTo(cost(113_100, "TEMPLATE MARKETING DE"));
        assertThat(estimator.template("UTILITY", "DE", false)).isEqualTo(cost(45_600, "TEMPLATE UTILITY DE"));
        assertThat(estimator.template("AUTHENTICATION", "DE", false)).isEqualTo(cost(56_800, "TEMPLATE AUTHENTICATION DE"));
    }

    @Test
    void shouldUseTheCategoryDefaultForACountryNotListed() {
        assertThat(estimator.template("MARKETING", "FR", false)).isEqualTo(cost(80_000, "TEMPLATE MARKETING default"));
        assertThat(estimator.template("UTILITY", "FR", false)).isEqualTo(cost(20_000, "TEMPLATE UTILITY default"));
    }

    @Test
    void shouldUseTheDefaultForABsuidOnlyRecipient() {
        // Given a customer known only by a BSUID: no phone, no region
        String region = RecipientRegion.of(null);

        assertThat(region).isNull();
        assertThat(estimator.template("MARKETING", region, false)).isEqualTo(cost(80_000, "TEMPLATE MARKETING default"));
    }

    @Test
    void shouldAssumeTheConfiguredCategoryForATemplateWithoutOneAndSaySo() {
        assertThat(estimator.template(null, "DE", false))
                .isEqualTo(cost(45_600, "TEMPLATE UTILITY DE (category unknown)"));
        assertThat(estimator.template("SOMETHING_NEW", "DE", false))
                .isEqualTo(cost(45_600, "TEMPLATE UTILITY DE (category unknown)"));
    }

    @Test
    void shouldPriceSmsPerSegmentByCountry() {
        assertThat(estimator.sms(1, "DE")).isEqualTo(cost(75_000, "SMS 1 x DE"));
        assertThat(estimator.sms(3, "DE")).isEqualTo(cost(225_000, "SMS 3 x DE"));
        assertThat(estimator.sms(2, "GB")).isEqualTo(cost(80_000, "SMS 2 x GB"));
        assertThat(estimator.sms(2, "FR")).isEqualTo(cost(180_000, "SMS 2 x default"));
    }

    @Test
    void shouldPriceAnSmsWithoutASegmentCountAsOneSegmentAndSaySo() {
        assertThat(estimator.sms(null, "DE")).isEqualTo(cost(75_000, "SMS 1 x DE (segments unknown)"));
    }

    @Test
    void shouldMakeFreeFormInsideTheWindowFreeByDefault() {
        assertThat(estimator.freeForm()).isEqualTo(cost(0, "FREE_FORM"));
    }

    @Test
    void shouldPriceFreeFormWhenConfiguredForTheOctober2026Change() {
        Map<String, String> config = priceList();
        config.put("free-form-in-window", "0.0105");

        assertThat(new CostEstimator(bind(config)).freeForm()).isEqualTo(cost(10_500, "FREE_FORM"));
    }

    @Test
    void shouldMakeAUtilityTemplateInsideAnOpenWindowFree() {
        assertThat(estimator.template("UTILITY", "DE", true)).isEqualTo(cost(0, "TEMPLATE UTILITY DE in window (free)"));
    }

    @Test
    void shouldChargeAUtilityTemplateInsideTheWindowWhenThatRuleIsSwitchedOff() {
        Map<String, String> config = priceList();
        config.put("utility-in-window-free", "false");

        assertThat(new CostEstimator(bind(config)).template("UTILITY", "DE", true))
                .isEqualTo(cost(45_600, "TEMPLATE UTILITY DE"));
    }

    @Test
    void shouldChargeAMarketingTemplateInsideTheWindow() {
        assertThat(estimator.template("MARKETING", "DE", true)).isEqualTo(cost(113_100, "TEMPLATE MARKETING DE"));
        assertThat(estimator.template("AUTHENTICATION", "DE", true)).isEqualTo(cost(56_800, "TEMPLATE AUTHENTICATION DE"));
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

    @Test
    void shouldAcceptTheLocalDevelopmentPriceList() {
        PricingProperties production = ProductionConfig.pricingProperties();

        assertThat(VALIDATOR.validate(production)).isEmpty();
        assertThat(production.currency()).isEqualTo("EUR");
        assertThat(production.freeFormInWindow()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(production.utilityInWindowFree()).isTrue();
        assertThat(production.template()).containsOnlyKeys("MARKETING", "UTILITY", "AUTHENTICATION");
    }

    @Test
    void shouldDefaultFreeFormToZeroAndUtilityInWindowToFree() {
        PricingProperties properties = bind(priceList());

        assertThat(VALIDATOR.validate(properties)).isEmpty();
        assertThat(properties.freeFormInWindow()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(properties.utilityInWindowFree()).isTrue();
        assertThat(properties.unknownCategory()).isEqualTo("UTILITY");
    }

    @Test
    void shouldRejectAnIncompletePriceList() {
        Map<String, String> config = priceList();
        config.put("currency", "EURO");
        config.remove("template.AUTHENTICATION.default");
        config.remove("template.AUTHENTICATION.de");
        config.remove("sms.default");
        config.put("sms.XX", "0.01");
        config.put("template.MARKETING.FR", "-0.01");
        config.put("unknown-category", "SERVICE");

        assertThat(violations(bind(config))).containsExactlyInAnyOrder(
                "currencyValid", "templateComplete", "smsComplete", "regionsKnown", "unknownCategoryValid",
                "template[MARKETING].<map value>[FR].<map value>");
    }

    @Test
    void shouldRejectACategoryWithoutADefault() {
        Map<String, String> config = priceList();
        config.remove("template.UTILITY.default");

        assertThat(violations(bind(config))).containsExactly("templateComplete");
    }

    private static Set<String> violations(PricingProperties properties) {
        return VALIDATOR.validate(properties).stream()
                .map(ConstraintViolation::getPropertyPath)
                .map(Object::toString)
                .collect(Collectors.toSet());
    }

    private static CostEstimate cost(long micros, String basis) {
        return CostEstimate.newBuilder().setCurrency("EUR").setAmountMicros(micros).setBasis(basis).build();
    }
}
