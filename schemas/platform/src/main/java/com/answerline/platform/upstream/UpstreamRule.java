package com.answerline.platform.upstream;

/**
 * Why a record on an upstream-facing topic was refused before it touched any state. The name is what the
 * dead-letter header {@value UpstreamGuard#RULE_HEADER} and the counter's {@code rule} tag carry.
 */
public enum UpstreamRule {

    /** The record key is not the record's {@code conversationId} (or there is no key): it would be partitioned, folded and joined under another conversation. */
    KEY_NOT_CONVERSATION_ID,
    /** {@code conversationId} is not {@code <phone_number_id>:<customer key>}. */
    MALFORMED_CONVERSATION_ID,
    /** The record's {@code phoneNumberId} is not the conversation id's prefix. */
    PHONE_NUMBER_ID_NOT_IN_CONVERSATION,
    /** No tenant owns the conversation's business number. */
    UNKNOWN_BUSINESS_NUMBER,
    /** The record's {@code tenantId} is not the tenant that owns the conversation's business number. */
    TENANT_DOES_NOT_OWN_NUMBER,
    /** A required text field is empty or blank. */
    BLANK_FIELD,
    /** A text field is longer than its limit (a WhatsApp text reply: 4,096 characters). */
    FIELD_TOO_LONG,
    /** A time lies further in the future than clocks drift. */
    TIME_IN_FUTURE,
    /** A time lies before WhatsApp existed (2009): almost always seconds read as milliseconds, or zero. */
    TIME_BEFORE_WHATSAPP,
    /**
     * A record this guard already forwarded to its conversation's partition is still on the wrong one: the topic's
     * partition count is not the one the services were configured with. Never forwarded twice.
     */
    MISPLACED_AFTER_FORWARD
}
