package com.answerline.dispatch.decision;

import com.answerline.avro.FallbackPolicy;

/**
 * What a reply's AUTO fallback means for a tenant ({@code answerline.dispatch.tenants.<id>.policy}): one of the
 * concrete fallbacks, or CHEAPEST, which picks, per reply, the cheapest of the allowed fallbacks SMS with the link,
 * the tenant's template and Direct Send for that recipient now ({@link ChannelDecider}). Its own type because the contracts'
 * {@link FallbackPolicy} (what a command asks for) has no CHEAPEST: a command never asks for it, the decision
 * resolves it and records the concrete policy it chose.
 */
public enum TenantPolicy {
    SMS(FallbackPolicy.SMS),
    TEMPLATE(FallbackPolicy.TEMPLATE),
    TEMPLATE_THEN_HOLD(FallbackPolicy.TEMPLATE_THEN_HOLD),
    NONE(FallbackPolicy.NONE),
    /**
     * WhatsApp Direct Send when the reply may use it (a UTILITY text, the number enabled and not refused), else the
     * SMS with the link, else the tenant's template (the SMS policy's chain).
     */
    DIRECT_SEND(FallbackPolicy.DIRECT_SEND),
    /**
     * The cheapest allowed of SMS with the link, the tenant's template and Direct Send (a tie goes to Direct Send),
     * priced for the recipient at decision time.
     */
    CHEAPEST(null);

    private final FallbackPolicy fallback;

    TenantPolicy(FallbackPolicy fallback) {
        this.fallback = fallback;
    }

    /** The concrete fallback, or null for CHEAPEST (resolved per reply). */
    public FallbackPolicy fallback() {
        return fallback;
    }
}
