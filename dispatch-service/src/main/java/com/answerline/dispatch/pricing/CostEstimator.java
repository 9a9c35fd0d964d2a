package com.answerline.dispatch.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.answerline.avro.CostEstimate;

/**
 * Prices one message from the configured price list: pure, no Spring, no I/O. Amounts are carried in millionths
 * of the currency unit ({@code amountMicros}), so sums stay exact and a price like 0.0456 EUR needs no float.
 *
 * <ul>
 *   <li>WhatsApp free-form (only possible inside the window): {@code free-form-in-window}, 0 by default; basis
 *       {@code FREE_FORM}.</li>
 *   <li>Template: price of its category in the recipient's region ({@code default} when the region is not listed
 *       or the customer has no phone); a UTILITY template inside an open window is free while
 *       {@code utility-in-window-free}; basis e.g. {@code TEMPLATE UTILITY DE}.</li>
 *   <li>SMS: segments x price per segment in the recipient's region; basis e.g. {@code SMS 2 x DE}.</li>
 * </ul>
 * The basis names the price that was applied: {@code default} instead of a region when the default price was
 * used, plus a note in parentheses for anything assumed (unknown category, unknown segment count).
 */
public final class CostEstimator {

    static final String FREE_FORM = "FREE_FORM";

    private final String currency;
    private final Map<String, Map<String, Long>> templateMicros;
    private final Map<String, Long> smsMicros;
    private final long freeFormMicros;
    private final boolean utilityInWindowFree;
    private final String unknownCategory;

    public CostEstimator(PricingProperties pricing) {
        Objects.requireNonNull(pricing, "pricing");
        this.currency = pricing.currency();
        this.templateMicros = pricing.template().entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> micros(e.getValue())));
        this.smsMicros = micros(pricing.sms());
        this.freeFormMicros = micros(pricing.freeFormInWindow());
        this.utilityInWindowFree = pricing.utilityInWindowFree();
        this.unknownCategory = pricing.unknownCategory();
    }

    /** A WhatsApp free-form message (inside the window; WhatsApp refuses one outside it). */
    public CostEstimate freeForm() {
        return estimate(freeFormMicros, FREE_FORM);
    }

    /**
     * A template message.
     *
     * @param category     MARKETING, UTILITY or AUTHENTICATION as the catalogue knows it; null or anything else
     *                     -> {@code unknown-category}, noted in the basis
     * @param region       the recipient's region ({@link RecipientRegion}), null when unknown
     * @param insideWindow the customer's service window was open when it was sent
     */
    public CostEstimate template(String category, String region, boolean insideWindow) {
        String known = category == null ? null : category.trim().toUpperCase(Locale.ROOT);
        String applied = known != null && PricingProperties.CATEGORIES.contains(known) ? known : unknownCategory;
        String note = applied.equals(known) ? "" : " (category unknown)";
        Map<String, Long> prices = templateMicros.get(applied);
        String priced = pricedRegion(prices, region);
        if (insideWindow && utilityInWindowFree && "UTILITY".equals(applied)) {
            return estimate(0, "TEMPLATE UTILITY " + label(priced) + " in window (free)" + note);
        }
        return estimate(prices.get(priced), "TEMPLATE " + applied + " " + label(priced) + note);
    }

    /**
     * An SMS.
     *
     * @param segments as billed; null when nobody counted them -> priced as 1 segment, noted in the basis
     * @param region   the recipient's region, null when unknown
     */
    public CostEstimate sms(Integer segments, String region) {
        int billed = segments == null || segments < 1 ? 1 : segments;
        String priced = pricedRegion(smsMicros, region);
        return estimate(billed * smsMicros.get(priced),
                "SMS " + billed + " x " + label(priced) + (segments == null ? " (segments unknown)" : ""));
    }

    public String currency() {
        return currency;
    }

    private static String pricedRegion(Map<String, Long> prices, String region) {
        return region != null && prices.containsKey(region) ? region : PricingProperties.DEFAULT;
    }

    private static String label(String pricedRegion) {
        return PricingProperties.DEFAULT.equals(pricedRegion) ? "default" : pricedRegion;
    }

    private CostEstimate estimate(long amountMicros, String basis) {
        return CostEstimate.newBuilder().setCurrency(currency).setAmountMicros(amountMicros).setBasis(basis).build();
    }

    private static Map<String, Long> micros(Map<String, BigDecimal> prices) {
        return prices.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> micros(e.getValue())));
    }

    /** Decimal currency units -> millionths, rounded half up (a rate card never has more than 6 decimals anyway). */
    static long micros(BigDecimal amount) {
        return amount.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
