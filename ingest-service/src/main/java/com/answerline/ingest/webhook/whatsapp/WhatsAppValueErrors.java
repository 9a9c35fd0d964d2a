package com.answerline.ingest.webhook.whatsapp;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.Change;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.StatusError;

/**
 * Value-level {@code errors[]} ({@code entry[].changes[].value.errors[]}): Meta telling us it could not deliver
 * something to this webhook (131000 "Something went wrong", an unsupported payload, ...). They belong to no
 * message or status, so no contract carries them; they are counted by code
 * ({@code ingest_webhook_value_errors_total{code}}) and logged at WARN with code and title only: Meta's
 * {@code message} and {@code error_data.details} are free text that may quote a customer.
 */
public final class WhatsAppValueErrors {

    static final String METRIC = "ingest.webhook.value.errors";
    private static final Logger log = LoggerFactory.getLogger(WhatsAppValueErrors.class);

    private final MeterRegistry meters;

    public WhatsAppValueErrors(MeterRegistry meters) {
        this.meters = meters;
    }

    /** Counts and logs every value-level error of the notification; returns how many there were. */
    public int report(WhatsAppNotification notification) {
        int count = 0;
        for (Change change : notification.changes()) {
            for (StatusError error : change.errors()) {
                count++;
                meters.counter(METRIC, "code", Integer.toString(error.code())).increment();
                log.warn("WhatsApp webhook: value-level error {} ({}) for phone_number_id {}", error.code(),
                        error.title(), change.phoneNumberId());
            }
        }
        return count;
    }
}
