package com.answerline.dispatch.send;

import java.time.Clock;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.answerline.dispatch.decision.DirectSendAccess;

/**
 * Direct Send's meters. Tags: the result or the refusal only; never a tenant, number or conversation.
 * <ul>
 *   <li>{@value #RESULTS} (counter, {@code result}): each Direct Send provider call as it ended: {@code sent} (WhatsApp
 *       accepted it), {@code not_enabled} (refused 100), {@code blocked} (refused 139200), {@code failed} (another
 *       refusal), and {@code failed_later} once per Direct Send message whose delivery WhatsApp reported FAILED (it is
 *       failed over). Counted where the provider answered, once per call (the send ledger never calls twice).</li>
 *   <li>{@value #REFUSED_NUMBERS} (gauge, {@code reason} {@code not_enabled} / {@code blocked}): business numbers whose
 *       Direct Send refusal is in force now, from the shared record (every instance shows the same count).</li>
 * </ul>
 */
public final class DirectSendMetrics {

    public static final String RESULTS = "answerline.dispatch.direct.send";
    public static final String REFUSED_NUMBERS = "answerline.dispatch.direct.send.refused.numbers";

    static final String SENT = "sent";
    static final String NOT_ENABLED = "not_enabled";
    static final String BLOCKED = "blocked";
    static final String FAILED = "failed";
    static final String FAILED_LATER = "failed_later";

    private final MeterRegistry meters;

    /** Every result from the start (at 0), so the alert and the dashboard see the series before the first send. */
    public DirectSendMetrics(MeterRegistry meters) {
        this.meters = meters;
        for (String result : new String[] {SENT, NOT_ENABLED, BLOCKED, FAILED, FAILED_LATER}) {
            counter(result);
        }
    }

    /** Meters nobody reads (unit tests of other classes). */
    public static DirectSendMetrics unregistered() {
        return new DirectSendMetrics(new SimpleMeterRegistry());
    }

    /** The gauge of refused numbers, by refusal, read from the shared record. */
    public DirectSendMetrics gauge(DirectSendRefusals refusals, Clock clock) {
        for (int code : new int[] {DirectSendAccess.NOT_ENABLED_CODE, DirectSendAccess.BLOCKED_CODE}) {
            Gauge.builder(REFUSED_NUMBERS, () -> refusals.refusedNumbers(code, clock.instant()))
                    .description("Business numbers whose WhatsApp Direct Send refusal is in force now")
                    .tag("reason", refusal(code))
                    .register(meters);
        }
        return this;
    }

    void sent() {
        counter(SENT).increment();
    }

    /** A synchronous refusal with this code (100, 139200 or another). */
    void refused(int code) {
        counter(code == DirectSendAccess.NOT_ENABLED_CODE || code == DirectSendAccess.BLOCKED_CODE ? refusal(code) : FAILED)
                .increment();
    }

    void failedLater() {
        counter(FAILED_LATER).increment();
    }

    static String refusal(int code) {
        return code == DirectSendAccess.BLOCKED_CODE ? BLOCKED : NOT_ENABLED;
    }

    private Counter counter(String result) {
        return Counter.builder(RESULTS)
                .description("WhatsApp Direct Send provider calls by result, and Direct Send messages failed later")
                .tag("result", result.toLowerCase(Locale.ROOT))
                .register(meters);
    }
}
