package com.answerline.ingest.webhook;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.answerline.ingest.publish.OutgoingRecord;

/**
 * Counts and logs the dead letters among a webhook's records (a message or status kept on a {@code -dlt} topic
 * instead of its conversation topic, e.g. an impossible customer number): metric
 * {@code ingest.webhook.dead.letters{channel, topic, reason}}. The log names the topic and reason only, never the
 * number or the text.
 */
public final class WebhookDeadLetters {

    private static final Logger log = LoggerFactory.getLogger(WebhookDeadLetters.class);

    private WebhookDeadLetters() {
    }

    public static void count(MeterRegistry meters, String channel, List<? extends OutgoingRecord<?>> records) {
        for (OutgoingRecord<?> record : records) {
            if (record.deadLetter()) {
                String reason = record.headers().getOrDefault(OutgoingRecord.DLT_REASON, "unknown");
                meters.counter("ingest.webhook.dead.letters", "channel", channel, "topic", record.destination(),
                        "reason", reason).increment();
                log.warn("{} webhook: a record kept on {} ({})", channel, record.destination(), reason);
            }
        }
    }
}
