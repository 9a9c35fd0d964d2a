package com.answerline.dispatch.decision;

import java.time.Instant;

import com.answerline.avro.CostEstimate;

/**
 * What a fallback would cost, for the tenant policy CHEAPEST: an interface so {@link ChannelDecider} stays pure (the
 * price list behind it lives in package {@code pricing}).
 */
public interface FallbackPrices {

    /**
     * @param segments the SMS body's segments
     * @param phone    the recipient's number (digits)
     * @param at       when it would be sent
     * @return the estimate, or null when it cannot be priced
     */
    CostEstimate sms(int segments, String phone, Instant at);

    /**
     * @param insideWindow        WhatsApp would count it as sent inside the customer-service window
     * @param freeEntryPointUntil the end of the free entry point the conversation is in, null when none
     *                            ({@link FreeEntryPoint})
     * @return the estimate, or null when it cannot be priced
     */
    CostEstimate template(TenantRules tenant, TemplateMessage template, String phone, boolean insideWindow,
                          Instant freeEntryPointUntil, Instant at);

    /**
     * A Direct Send message (the utility rate of the recipient's country).
     *
     * @param freeEntryPointUntil the end of the free entry point the conversation is in, null when none
     * @return the estimate, or null when it cannot be priced
     */
    CostEstimate directSend(String phone, Instant freeEntryPointUntil, Instant at);

    /** No price list: CHEAPEST cannot compare and takes the SMS, as the policy SMS would (tests of other rules). */
    FallbackPrices UNPRICED = new FallbackPrices() {
        @Override
        public CostEstimate sms(int segments, String phone, Instant at) {
            return null;
        }

        @Override
        public CostEstimate template(TenantRules tenant, TemplateMessage template, String phone, boolean insideWindow,
                                     Instant freeEntryPointUntil, Instant at) {
            return null;
        }

        @Override
        public CostEstimate directSend(String phone, Instant freeEntryPointUntil, Instant at) {
            return null;
        }
    };
}
