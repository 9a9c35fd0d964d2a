package com.answerline.dispatch.send;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.answerline.avro.DirectSendAccessEntry;
import com.answerline.avro.DirectSendAccessState;
import com.answerline.dispatch.decision.DirectSendAccess;

/**
 * The business numbers WhatsApp refused Direct Send for, shared by every dispatch instance: the latest
 * {@link DirectSendAccessEntry} per phone_number_id, written to the compacted topic {@code dispatch-direct-send-access}
 * ({@code writer}) and read back from it by every instance ({@link #apply}, {@code KafkaDirectSendAccessLog}). The
 * decision asks it ({@link DirectSendAccess}): a number refused with 100 (not enabled) or 139200 (access blocked)
 * is not tried again until an operator re-enables it ({@link #reenable}) or its re-check time has passed (the tenant's
 * re-check interval after the refusal; then one Direct Send is tried again, and a new refusal starts a new interval).
 *
 * <p>A refusal is applied here before it is written: the instance that saw it never tries the number again, even when
 * the write fails (logged at WARN; the other instances then learn it from their own refusal, one provider call each).
 */
public final class DirectSendRefusals implements DirectSendAccess {

    private static final Logger log = LoggerFactory.getLogger(DirectSendRefusals.class);

    private final Map<String, DirectSendAccessEntry> latest = new ConcurrentHashMap<>();
    private final Function<String, Duration> recheckAfter;
    private final Consumer<DirectSendAccessEntry> writer;

    /**
     * @param recheckAfter per business number (phone_number_id): how long after a refusal Direct Send is tried again by
     *                     itself; null or zero: only when an operator re-enables it
     * @param writer       appends an entry to the shared topic (synchronously; throws when it could not)
     */
    public DirectSendRefusals(Function<String, Duration> recheckAfter, Consumer<DirectSendAccessEntry> writer) {
        this.recheckAfter = recheckAfter;
        this.writer = writer;
    }

    @Override
    public Optional<Refusal> refusal(String phoneNumberId, Instant now) {
        DirectSendAccessEntry entry = phoneNumberId == null ? null : latest.get(phoneNumberId);
        if (entry == null || entry.getState() != DirectSendAccessState.REFUSED || entry.getErrorCode() == null) {
            return Optional.empty();
        }
        Duration after = recheckAfter.apply(phoneNumberId);
        Instant recheckAt = after == null || after.isZero() || after.isNegative() ? null : entry.getChangedAt().plus(after);
        if (recheckAt != null && !now.isBefore(recheckAt)) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(entry.getErrorCode(), entry.getChangedAt(), recheckAt));
    }

    /**
     * WhatsApp refused a Direct Send message of this number synchronously: recorded here at once, then in the shared
     * topic.
     *
     * @param commandId the refused reply (kept on the entry for the operator)
     */
    public void refused(String tenantId, String phoneNumberId, int code, String title, String commandId, Instant at) {
        write(DirectSendAccessEntry.newBuilder()
                .setPhoneNumberId(phoneNumberId)
                .setTenantId(tenantId)
                .setState(DirectSendAccessState.REFUSED)
                .setErrorCode(code)
                .setErrorTitle(title)
                .setChangedAt(at)
                .setChangedBy(commandId)
                .build());
    }

    /**
     * An operator re-enables Direct Send for this number (after the business regained access, or to try again at once).
     * Written to the shared topic first (an operator must hear when it did not go through), then applied here.
     *
     * @return the refusal that was in force, empty when there was none
     */
    public Optional<Refusal> reenable(String tenantId, String phoneNumberId, String operator, Instant at) {
        Optional<Refusal> before = refusal(phoneNumberId, at);
        DirectSendAccessEntry entry = DirectSendAccessEntry.newBuilder()
                .setPhoneNumberId(phoneNumberId)
                .setTenantId(tenantId)
                .setState(DirectSendAccessState.REENABLED)
                .setChangedAt(at)
                .setChangedBy(operator)
                .build();
        writer.accept(entry);
        apply(entry);
        return before;
    }

    /** An entry read from the shared topic (this instance's own included): the latest per number wins. */
    public void apply(DirectSendAccessEntry entry) {
        if (entry != null && entry.getPhoneNumberId() != null) {
            latest.put(entry.getPhoneNumberId(), entry);
        }
    }

    /** Business numbers with a refusal of {@code code} in force at {@code now} (the gauge). */
    public long refusedNumbers(int code, Instant now) {
        return latest.keySet().stream()
                .filter(number -> refusal(number, now).map(refusal -> refusal.code() == code).orElse(false))
                .count();
    }

    /** Every number's latest entry, by phone_number_id (what an operator sees). */
    public List<DirectSendAccessEntry> entries() {
        return latest.values().stream().sorted(Comparator.comparing(DirectSendAccessEntry::getPhoneNumberId)).toList();
    }

    private void write(DirectSendAccessEntry entry) {
        apply(entry);
        try {
            writer.accept(entry);
        } catch (RuntimeException e) {
            log.warn("Direct Send refusal {} of number {} not recorded in the shared topic (this instance keeps it): {}",
                    entry.getErrorCode(), entry.getPhoneNumberId(), e.toString());
        }
    }
}
