package com.answerline.dispatch.pricing;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * The price list dispatch estimates the cost of every message with (issue 5 section 7). Prices change (Meta
 * reprices templates per country several times a year, and several providers report that service messages are
 * charged from 1 October 2026), so they live in configuration, never in code; the values in application.yml are
 * local-development examples, a deployment takes them from its provider's rate card.
 *
 * <p>Price tables map an ISO 3166 region code of the recipient's phone (as libphonenumber reports it, e.g.
 * {@code DE}) or {@code default} to a price in {@code currency} units; {@code default} prices recipients of a
 * country not listed and recipients without a phone (BSUID only). Keys are case-insensitive (environment
 * variables arrive in lower case).
 *
 * @param currency             ISO 4217, one per deployment (e.g. EUR); every price below is in it
 * @param template             per template category (MARKETING, UTILITY, AUTHENTICATION): price per delivered
 *                             template by recipient region, each with a {@code default}
 * @param sms                  price per SMS segment by recipient region, with a {@code default}
 * @param freeFormInWindow     price of a WhatsApp free-form message (only possible inside the window); 0 under
 *                             the pricing since July 2025, configurable for the reported 1 October 2026 change
 * @param utilityInWindowFree  a UTILITY template sent while the window is open costs nothing (true since July 2025)
 * @param unknownCategory      the category assumed for a template whose category the catalogue does not know
 *                             (the tenants' configured default templates until the first sync); the basis says so
 */
@Validated
@ConfigurationProperties("answerline.dispatch.pricing")
public record PricingProperties(@NotBlank String currency,
                                @NotNull Map<String, Map<String, @NotNull @PositiveOrZero BigDecimal>> template,
                                @NotNull Map<String, @NotNull @PositiveOrZero BigDecimal> sms,
                                @PositiveOrZero BigDecimal freeFormInWindow,
                                Boolean utilityInWindowFree,
                                String unknownCategory) {

    /** The key of the price for every region not listed (and for recipients without a phone). */
    public static final String DEFAULT = "DEFAULT";
    public static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");

    public PricingProperties {
        currency = currency == null ? null : currency.trim().toUpperCase(Locale.ROOT);
        template = template == null ? Map.of() : upperKeys(template, prices -> prices == null ? Map.of() : upperKeys(prices, v -> v));
        sms = sms == null ? Map.of() : upperKeys(sms, v -> v);
        freeFormInWindow = freeFormInWindow == null ? BigDecimal.ZERO : freeFormInWindow;
        utilityInWindowFree = utilityInWindowFree == null || utilityInWindowFree;
        unknownCategory = unknownCategory == null ? "UTILITY" : unknownCategory.trim().toUpperCase(Locale.ROOT);
    }

    @AssertTrue(message = "currency must be an ISO 4217 code, e.g. EUR")
    public boolean isCurrencyValid() {
        if (currency == null) {
            return true; // @NotBlank reports it
        }
        try {
            Currency.getInstance(currency);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @AssertTrue(message = "template needs exactly the categories MARKETING, UTILITY and AUTHENTICATION, each with a 'default' price")
    public boolean isTemplateComplete() {
        return template.keySet().equals(CATEGORIES) && template.values().stream().allMatch(p -> p.containsKey(DEFAULT));
    }

    @AssertTrue(message = "sms needs a 'default' price per segment")
    public boolean isSmsComplete() {
        return sms.containsKey(DEFAULT);
    }

    @AssertTrue(message = "price keys must be 'default' or an ISO 3166 region code libphonenumber knows, e.g. DE")
    public boolean isRegionsKnown() {
        Set<String> regions = PhoneNumberUtil.getInstance().getSupportedRegions();
        return java.util.stream.Stream.concat(sms.keySet().stream(),
                        template.values().stream().flatMap(prices -> prices.keySet().stream()))
                .allMatch(key -> key.equals(DEFAULT) || regions.contains(key));
    }

    @AssertTrue(message = "unknown-category must be MARKETING, UTILITY or AUTHENTICATION")
    public boolean isUnknownCategoryValid() {
        return CATEGORIES.contains(unknownCategory);
    }

    private static <V, W> Map<String, W> upperKeys(Map<String, V> map, java.util.function.Function<V, W> values) {
        Map<String, W> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(key.trim().toUpperCase(Locale.ROOT), values.apply(value)));
        // Not Map.copyOf: a null price must reach validation (@NotNull names it), not fail here.
        return java.util.Collections.unmodifiableMap(copy);
    }
}
