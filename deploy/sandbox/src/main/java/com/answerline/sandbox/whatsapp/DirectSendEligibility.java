package com.answerline.sandbox.whatsapp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Each business number's Direct Send status at run time: the configured one
 * ({@code sandbox.business-numbers[].direct-send}) until the settings or the {@code DIRECT_SEND_BLOCKED} fault change
 * it, and again after a reset. Only configured numbers have one.
 */
public final class DirectSendEligibility {

    private final Map<String, DirectSendStatus> configured;
    private final Map<String, DirectSendStatus> current;

    /** @param configured by phone_number_id, in the configuration's order */
    public DirectSendEligibility(Map<String, DirectSendStatus> configured) {
        this.configured = new LinkedHashMap<>(configured);
        this.current = new LinkedHashMap<>(configured);
    }

    /** The number's status; empty for a number the sandbox does not have. */
    public synchronized Optional<DirectSendStatus> of(String phoneNumberId) {
        return Optional.ofNullable(current.get(phoneNumberId));
    }

    /** Every number's status, in the configuration's order. */
    public synchronized Map<String, DirectSendStatus> all() {
        return new LinkedHashMap<>(current);
    }

    /**
     * Sets the statuses of several numbers at once, or none of them when one is not a business number of the sandbox.
     *
     * @throws IllegalArgumentException naming the first unknown number
     */
    public synchronized void set(Map<String, DirectSendStatus> changes) {
        changes.keySet().stream().filter(id -> !current.containsKey(id)).findFirst().ifPresent(id -> {
            throw new IllegalArgumentException(id + " is not a business number of the sandbox");
        });
        current.putAll(changes);
    }

    /** Meta blocked the number's access (the fault): it stays blocked until the settings or a reset change it. */
    public synchronized void block(String phoneNumberId) {
        current.computeIfPresent(phoneNumberId, (id, status) -> DirectSendStatus.BLOCKED);
    }

    /** Back to the configured statuses (the sandbox's reset). */
    public synchronized void reset() {
        current.clear();
        current.putAll(configured);
    }
}
