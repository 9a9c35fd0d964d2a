package com.answerline.dispatch.pricing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * The price list dispatch estimates the cost of every message with: rule periods, each in force from its
 * {@code from} date until the next one's, so that a deployment prices a past month by the rules of that month.
 * Prices and the dates they start live here, in configuration, never in code; the values in application.yml are
 * local-development examples, a deployment takes them from its provider's rate card.
 *
 * <p>The first period states everything: a price per template category (MARKETING, UTILITY, AUTHENTICATION) and
 * per SMS segment, each with a {@code default}, and the three rules. A later period states only what changes from
 * the one before (a price of one region, a rule); the rest carries over. Price tables map an ISO 3166 region of the
 * recipient's phone (as libphonenumber reports it, e.g. {@code DE}) or {@code default} to a price in
 * {@code currency} units; {@code default} prices a country not listed and a customer without a phone (BSUID only).
 * Keys are case-insensitive (environment variables arrive in lower case). Unknown keys are refused
 * ({@code ignoreUnknownFields = false}): the flat keys of releases before issue 16 ({@code template}, {@code sms},
 * {@code free-form-in-window}, {@code utility-in-window-free}) moved into {@code periods} and must not be ignored
 * silently.
 *
 * @param currency        ISO 4217, one per deployment (e.g. EUR); every price below is in it
 * @param unknownCategory the category assumed for a template whose category the catalogue does not know (the
 *                        tenants' configured default templates until the first sync); the basis says so
 * @param periods         the rule periods, in order of {@code from}, each later than the one before
 */
@Validated
@ConfigurationProperties(prefix = "answerline.dispatch.pricing", ignoreUnknownFields = false)
public record PricingProperties(@NotBlank String currency, String unknownCategory,
                                @NotEmpty List<@NotNull @Valid Period> periods) {

    /** The key of the price for every region not listed (and for recipients without a phone). */
    public static final String DEFAULT = "DEFAULT";
    public static final Set<String> CATEGORIES = Set.of("MARKETING", "UTILITY", "AUTHENTICATION");

    /** How a message inside the customer-service window is priced. */
    public enum InWindow {
        /** Nothing (service messages and in-window utility templates from 1 July 2025). */
        FREE,
        /** Per message at the UTILITY template price of the recipient's market (from 1 October 2026). */
        UTILITY_RATE
    }

    /** How a WhatsApp message inside a 72-hour free entry point is priced. */
    public enum EntryPoint {
        /** Nothing, whatever its category. */
        FREE,
        /** As without the free entry point. */
        REGULAR
    }

    /**
     * The rules in force from {@code from} (00:00 UTC that day) until the next period's {@code from}. Null fields
     * (only in a later period) carry over from the period before.
     *
     * @param template        price per delivered template by category, then by recipient region
     * @param sms             price per SMS segment by recipient region
     * @param service         a WhatsApp free-form (service) message, only possible inside the window
     * @param utilityInWindow a UTILITY template sent while the window is open (OPEN or CLOSING)
     * @param freeEntryPoint  a WhatsApp message inside a 72-hour free entry point
     */
    public record Period(@NotNull LocalDate from,
                         Map<String, Map<String, @NotNull @PositiveOrZero BigDecimal>> template,
                         Map<String, @NotNull @PositiveOrZero BigDecimal> sms,
                         InWindow service, InWindow utilityInWindow, EntryPoint freeEntryPoint) {

        public Period {
            template = template == null ? Map.of() : upperKeys(template, prices -> prices == null ? Map.of() : upperKeys(prices, v -> v));
            sms = sms == null ? Map.of() : upperKeys(sms, v -> v);
        }

        private boolean complete() {
            return template.keySet().equals(CATEGORIES) && template.values().stream().allMatch(p -> p.containsKey(DEFAULT))
                    && sms.containsKey(DEFAULT) && service != null && utilityInWindow != null && freeEntryPoint != null;
        }
    }

    public PricingProperties {
        currency = currency == null ? null : currency.trim().toUpperCase(Locale.ROOT);
        unknownCategory = unknownCategory == null ? "UTILITY" : unknownCategory.trim().toUpperCase(Locale.ROOT);
        periods = periods == null ? List.of() : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(periods));
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

    @AssertTrue(message = "periods must be in order of 'from', each later than the one before (two periods from the same day overlap)")
    public boolean isPeriodsInOrder() {
        List<LocalDate> froms = periods.stream().filter(Objects::nonNull).map(Period::from).toList();
        for (int i = 1; i < froms.size(); i++) {
            if (froms.get(i - 1) != null && froms.get(i) != null && !froms.get(i).isAfter(froms.get(i - 1))) {
                return false;
            }
        }
        return true;
    }

    @AssertTrue(message = "the first period must state service, utility-in-window, free-entry-point, a 'default' price "
            + "for each template category (MARKETING, UTILITY, AUTHENTICATION) and a 'default' SMS price; later periods "
            + "state only what changes")
    public boolean isFirstPeriodComplete() {
        return periods.isEmpty() || periods.get(0) == null || periods.get(0).complete();
    }

    @AssertTrue(message = "template categories must be MARKETING, UTILITY or AUTHENTICATION")
    public boolean isCategoriesKnown() {
        return periods.stream().filter(Objects::nonNull).allMatch(p -> CATEGORIES.containsAll(p.template().keySet()));
    }

    @AssertTrue(message = "price keys must be 'default' or an ISO 3166 region code libphonenumber knows, e.g. DE")
    public boolean isRegionsKnown() {
        Set<String> regions = PhoneNumberUtil.getInstance().getSupportedRegions();
        return periods.stream().filter(Objects::nonNull)
                .flatMap(p -> Stream.concat(p.sms().keySet().stream(),
                        p.template().values().stream().flatMap(prices -> prices.keySet().stream())))
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
