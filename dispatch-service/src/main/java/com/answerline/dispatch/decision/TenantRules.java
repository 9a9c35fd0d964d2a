package com.answerline.dispatch.decision;

import java.time.Duration;
import java.util.Objects;

/**
 * A tenant's dispatch settings, as the decision sees them.
 *
 * @param displayNumber       the business number in digits (wa.me link; default SMS sender)
 * @param policy              what AUTO means for this tenant when the window is closed: a concrete fallback, or
 *                            CHEAPEST (the cheaper allowed of SMS and the template, per reply)
 * @param defaultTemplateName the invitation template sent when a template fallback names none
 * @param defaultTemplateBody its body with {{1}} = customer name and {{2}} = agent name, to render the text the
 *                            customer sees; null when unknown
 * @param smsInvitation       the sentence before the wa.me link in an SMS fallback
 * @param continuePrefill     the text the customer's WhatsApp pre-fills after following the link
 * @param smsSenderId         the SMS {@code From}: an E.164 number or an alphanumeric sender id
 * @param smsMaxSegments      an SMS fallback longer than this many segments is not sent; the template goes instead
 * @param replyValidity       how long a send waits out provider trouble, counted from its first attempt, before the
 *                            policy decides (failover or FAILED PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED); a free-form
 *                            WhatsApp send never past the window's end minus the safety margin
 * @param directSend          WhatsApp Direct Send for the tenant's business number; null: {@link DirectSend#DISABLED}
 */
public record TenantRules(String tenantId, String phoneNumberId, String displayNumber, TenantPolicy policy,
                          String defaultTemplateName, String defaultTemplateLanguage, String defaultTemplateBody,
                          String smsInvitation, String continuePrefill, String smsSenderId, int smsMaxSegments,
                          Duration replyValidity, DirectSend directSend) {

    /** Segments an SMS fallback may take when the tenant sets no maximum (about 450 GSM-7 characters). */
    public static final int DEFAULT_SMS_MAX_SEGMENTS = 3;

    /** How long a reply waits for an unavailable provider when the tenant sets nothing. */
    public static final Duration DEFAULT_REPLY_VALIDITY = Duration.ofMinutes(15);

    public TenantRules {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(phoneNumberId, "phoneNumberId");
        Objects.requireNonNull(displayNumber, "displayNumber");
        Objects.requireNonNull(defaultTemplateName, "defaultTemplateName");
        Objects.requireNonNull(defaultTemplateLanguage, "defaultTemplateLanguage");
        Objects.requireNonNull(policy, "policy");
        smsSenderId = smsSenderId == null || smsSenderId.isBlank() ? "+" + displayNumber.replaceAll("\\D", "") : smsSenderId;
        if (smsMaxSegments < 1) {
            throw new IllegalArgumentException("tenant " + tenantId + ": sms max segments must be at least 1");
        }
        replyValidity = replyValidity == null ? DEFAULT_REPLY_VALIDITY : replyValidity;
        if (replyValidity.isNegative()) {
            throw new IllegalArgumentException("tenant " + tenantId + ": reply validity must not be negative");
        }
        directSend = directSend == null ? DirectSend.DISABLED : directSend;
    }

    /** Without Direct Send ({@link DirectSend#DISABLED}). */
    public TenantRules(String tenantId, String phoneNumberId, String displayNumber, TenantPolicy policy,
                       String defaultTemplateName, String defaultTemplateLanguage, String defaultTemplateBody,
                       String smsInvitation, String continuePrefill, String smsSenderId, int smsMaxSegments,
                       Duration replyValidity) {
        this(tenantId, phoneNumberId, displayNumber, policy, defaultTemplateName, defaultTemplateLanguage,
                defaultTemplateBody, smsInvitation, continuePrefill, smsSenderId, smsMaxSegments, replyValidity, null);
    }

    /** With the default reply validity ({@link #DEFAULT_REPLY_VALIDITY}). */
    public TenantRules(String tenantId, String phoneNumberId, String displayNumber, TenantPolicy policy,
                       String defaultTemplateName, String defaultTemplateLanguage, String defaultTemplateBody,
                       String smsInvitation, String continuePrefill, String smsSenderId, int smsMaxSegments) {
        this(tenantId, phoneNumberId, displayNumber, policy, defaultTemplateName, defaultTemplateLanguage,
                defaultTemplateBody, smsInvitation, continuePrefill, smsSenderId, smsMaxSegments, DEFAULT_REPLY_VALIDITY);
    }

    /** SMS sent from the display number (E.164), at most {@value #DEFAULT_SMS_MAX_SEGMENTS} segments. */
    public TenantRules(String tenantId, String phoneNumberId, String displayNumber, TenantPolicy policy,
                       String defaultTemplateName, String defaultTemplateLanguage, String defaultTemplateBody,
                       String smsInvitation, String continuePrefill) {
        this(tenantId, phoneNumberId, displayNumber, policy, defaultTemplateName, defaultTemplateLanguage,
                defaultTemplateBody, smsInvitation, continuePrefill, null, DEFAULT_SMS_MAX_SEGMENTS, DEFAULT_REPLY_VALIDITY);
    }

    /**
     * WhatsApp Direct Send for the tenant's business number (one number per tenant): the agent's own UTILITY text on
     * WhatsApp outside the window, where the business is eligible (DOMAIN 3).
     *
     * @param enabled      the number may try Direct Send at all (WhatsApp decides eligibility per business portfolio;
     *                     this says the business asked for it); off by default
     * @param recheckAfter after WhatsApp refused Direct Send for the number (100 not enabled, 139200 access blocked),
     *                     how long the refusal keeps it from Direct Send before it is tried again by itself (an operator
     *                     may re-enable it sooner); positive, default {@link #DEFAULT_RECHECK_AFTER}
     */
    public record DirectSend(boolean enabled, Duration recheckAfter) {

        public static final Duration DEFAULT_RECHECK_AFTER = Duration.ofHours(24);
        /** The default: never tried. */
        public static final DirectSend DISABLED = new DirectSend(false, DEFAULT_RECHECK_AFTER);

        public DirectSend {
            recheckAfter = recheckAfter == null ? DEFAULT_RECHECK_AFTER : recheckAfter;
            if (recheckAfter.isNegative() || recheckAfter.isZero()) {
                throw new IllegalArgumentException("direct send re-check-after must be positive: " + recheckAfter);
            }
        }
    }
}
