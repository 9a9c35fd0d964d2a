package com.answerline.dispatch.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.answerline.avro.CostEstimate;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.pricing.PricingProperties.EntryPoint;
import com.answerline.dispatch.pricing.PricingProperties.InWindow;

/**
 * Prices one message from the configured price list, by the rules of the period in force when it is sent: pure,
 * no Spring, no I/O, no clock of its own (the caller says when). Amounts are carried in millionths of the currency
 * unit ({@code amountMicros}), so sums stay exact and a price like 0.0456 EUR needs no float.
 *
 * <ul>
 *   <li>WhatsApp free-form (service, only possible inside the window): the period's {@code service} rule, FREE or
 *       UTILITY_RATE (the UTILITY template price of the recipient's region); basis e.g.
 *       {@code SERVICE at UTILITY rate DE since 2026-10-01}, {@code SERVICE free in window since 2025-07-01}.</li>
 *   <li>Template: the price of its category in the recipient's region; a UTILITY template inside the window by the
 *       period's {@code utility-in-window} rule; basis e.g. {@code TEMPLATE MARKETING DE since 2025-07-01},
 *       {@code TEMPLATE UTILITY DE in window free since 2025-07-01}.</li>
 *   <li>WhatsApp Direct Send (a utility message outside the window without a template of the business's own): the
 *       UTILITY template price of the recipient's region, as outside the window; basis e.g.
 *       {@code DIRECT_SEND at UTILITY rate DE since 2026-10-01}.</li>
 *   <li>Any WhatsApp message inside a 72-hour free entry point: nothing while the period's {@code free-entry-point}
 *       is FREE; basis e.g. {@code FREE_ENTRY_POINT SERVICE until 2026-12-04T10:00:00Z}.</li>
 *   <li>SMS: segments x price per segment in the recipient's region; basis e.g. {@code SMS 2 x DE since 2025-07-01}.</li>
 * </ul>
 * The basis names the rule that priced the message and the period it comes from: {@code default} instead of a
 * region when the default price was used, and a note in parentheses for anything assumed (unknown category, unknown
 * segment count, a message sent before the first period).
 */
public final class CostEstimator {

    private final String currency;
    private final String unknownCategory;
    /** The periods with everything carried over, in order of their start. */
    private final List<Rules> periods;

    /** One period, complete: what a message sent from {@code start} until the next period's start costs. */
    private record Rules(LocalDate from, Instant start, Map<String, Map<String, Long>> templateMicros,
                         Map<String, Long> smsMicros, InWindow service, InWindow utilityInWindow,
                         EntryPoint freeEntryPoint) {
    }

    public CostEstimator(PricingProperties pricing) {
        Objects.requireNonNull(pricing, "pricing");
        this.currency = pricing.currency();
        this.unknownCategory = pricing.unknownCategory();
        this.periods = resolve(pricing.periods());
    }

    /**
     * Whether WhatsApp counts a message sent with the window in this state as inside it: OPEN, and CLOSING (the
     * last safety margin, when dispatch already treats the window as closed but WhatsApp does not).
     */
    public static boolean insideWindow(WindowState state) {
        return state == WindowState.OPEN || state == WindowState.CLOSING;
    }

    /**
     * A WhatsApp free-form (service) message; only possible inside the window.
     *
     * @param region              the recipient's region ({@link RecipientRegion}), null when unknown
     * @param freeEntryPointUntil the end of the conversation's free entry point, null when none
     * @param at                  when it is (or would be) sent
     */
    public CostEstimate service(String region, Instant freeEntryPointUntil, Instant at) {
        Rules rules = rulesAt(at);
        if (inFreeEntryPoint(rules, freeEntryPointUntil, at)) {
            return estimate(0, "FREE_ENTRY_POINT SERVICE until " + freeEntryPointUntil);
        }
        if (rules.service() == InWindow.FREE) {
            return estimate(0, "SERVICE free in window" + since(rules, at));
        }
        return atUtilityRate("SERVICE", rules, region, at);
    }

    /**
     * A WhatsApp Direct Send message: utility content sent outside the window (Meta prices it at the utility rate).
     *
     * @param region              the recipient's region ({@link RecipientRegion}), null when unknown
     * @param freeEntryPointUntil the end of the conversation's free entry point, null when none
     * @param at                  when it is (or would be) sent
     */
    public CostEstimate directSend(String region, Instant freeEntryPointUntil, Instant at) {
        Rules rules = rulesAt(at);
        if (inFreeEntryPoint(rules, freeEntryPointUntil, at)) {
            return estimate(0, "FREE_ENTRY_POINT DIRECT_SEND until " + freeEntryPointUntil);
        }
        return atUtilityRate("DIRECT_SEND", rules, region, at);
    }

    /** A message priced at the UTILITY template price of the recipient's region (basis e.g. {@code SERVICE at UTILITY rate DE since ...}). */
    private CostEstimate atUtilityRate(String what, Rules rules, String region, Instant at) {
        Map<String, Long> utility = rules.templateMicros().get("UTILITY");
        String priced = pricedRegion(utility, region);
        return estimate(utility.get(priced), what + " at UTILITY rate " + label(priced) + since(rules, at));
    }

    /**
     * A template message.
     *
     * @param category            MARKETING, UTILITY or AUTHENTICATION as the catalogue knows it; null or anything
     *                            else -> {@code unknown-category}, noted in the basis
     * @param region              the recipient's region ({@link RecipientRegion}), null when unknown
     * @param insideWindow        the customer's service window was open when it was sent ({@link #insideWindow})
     * @param freeEntryPointUntil the end of the conversation's free entry point, null when none
     * @param at                  when it is (or would be) sent
     */
    public CostEstimate template(String category, String region, boolean insideWindow, Instant freeEntryPointUntil,
                                 Instant at) {
        Rules rules = rulesAt(at);
        String known = category == null ? null : category.trim().toUpperCase(Locale.ROOT);
        String applied = known != null && PricingProperties.CATEGORIES.contains(known) ? known : unknownCategory;
        String note = applied.equals(known) ? "" : " (category unknown)";
        if (inFreeEntryPoint(rules, freeEntryPointUntil, at)) {
            return estimate(0, "FREE_ENTRY_POINT TEMPLATE " + applied + " until " + freeEntryPointUntil + note);
        }
        Map<String, Long> prices = rules.templateMicros().get(applied);
        String priced = pricedRegion(prices, region);
        String what = "TEMPLATE " + applied + " " + label(priced);
        if (insideWindow && "UTILITY".equals(applied)) {
            return rules.utilityInWindow() == InWindow.FREE
                    ? estimate(0, what + " in window free" + since(rules, at) + note)
                    : estimate(prices.get(priced), what + " in window" + since(rules, at) + note);
        }
        return estimate(prices.get(priced), what + since(rules, at) + note);
    }

    /**
     * An SMS.
     *
     * @param segments as billed; null when nobody counted them -> priced as 1 segment, noted in the basis
     * @param region   the recipient's region, null when unknown
     * @param at       when it is (or would be) sent
     */
    public CostEstimate sms(Integer segments, String region, Instant at) {
        Rules rules = rulesAt(at);
        int billed = segments == null || segments < 1 ? 1 : segments;
        String priced = pricedRegion(rules.smsMicros(), region);
        return estimate(billed * rules.smsMicros().get(priced), "SMS " + billed + " x " + label(priced) + since(rules, at)
                + (segments == null ? " (segments unknown)" : ""));
    }

    public String currency() {
        return currency;
    }

    /** The period in force at {@code at}; the first one for a message sent before it (noted in the basis). */
    private Rules rulesAt(Instant at) {
        Objects.requireNonNull(at, "at");
        Rules inForce = periods.get(0);
        for (Rules rules : periods) {
            if (!at.isBefore(rules.start())) {
                inForce = rules;
            }
        }
        return inForce;
    }

    private static boolean inFreeEntryPoint(Rules rules, Instant until, Instant at) {
        return until != null && at.isBefore(until) && rules.freeEntryPoint() == EntryPoint.FREE;
    }

    private static String since(Rules rules, Instant at) {
        return at.isBefore(rules.start())
                ? " since " + rules.from() + " (sent before it: the earliest prices)"
                : " since " + rules.from();
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

    /** Each period completed with what it carries over from the one before (the first is complete: validated). */
    private static List<Rules> resolve(List<PricingProperties.Period> configured) {
        if (configured.isEmpty()) {
            throw new IllegalArgumentException("the price list needs at least one period");
        }
        List<Rules> resolved = new ArrayList<>();
        Rules previous = null;
        for (PricingProperties.Period period : configured) {
            Map<String, Map<String, Long>> template = new LinkedHashMap<>();
            if (previous != null) {
                previous.templateMicros().forEach((category, prices) -> template.put(category, new LinkedHashMap<>(prices)));
            }
            period.template().forEach((category, prices) ->
                    template.computeIfAbsent(category, c -> new LinkedHashMap<>()).putAll(micros(prices)));
            Map<String, Long> sms = new LinkedHashMap<>(previous == null ? Map.of() : previous.smsMicros());
            sms.putAll(micros(period.sms()));
            Map<String, Map<String, Long>> frozen = new LinkedHashMap<>();
            template.forEach((category, prices) -> frozen.put(category, Map.copyOf(prices)));
            Rules rules = new Rules(period.from(), period.from().atStartOfDay(ZoneOffset.UTC).toInstant(),
                    Map.copyOf(frozen), Map.copyOf(sms),
                    period.service() != null ? period.service() : previous.service(),
                    period.utilityInWindow() != null ? period.utilityInWindow() : previous.utilityInWindow(),
                    period.freeEntryPoint() != null ? period.freeEntryPoint() : previous.freeEntryPoint());
            resolved.add(rules);
            previous = rules;
        }
        return List.copyOf(resolved);
    }

    private static Map<String, Long> micros(Map<String, BigDecimal> prices) {
        Map<String, Long> micros = new LinkedHashMap<>();
        prices.forEach((region, price) -> micros.put(region, micros(price)));
        return micros;
    }

    /** Decimal currency units -> millionths, rounded half up (a rate card never has more than 6 decimals anyway). */
    static long micros(BigDecimal amount) {
        return amount.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
}
