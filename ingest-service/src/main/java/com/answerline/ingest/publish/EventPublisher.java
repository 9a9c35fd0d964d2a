package com.answerline.ingest.publish;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import com.answerline.ingest.http.PayloadTooLargeException;

/**
 * Publishes the records of one request and completes only when Kafka acknowledged all of them (the producer
 * is idempotent with acks=all, see application.yml). A request is answered 2xx only after that, so a
 * provider never gets a 200 for a message that is not durably on Kafka; on failure or timeout it gets an
 * error and retries, and the duplicates that retry can cause are removed downstream by message id.
 *
 * <p>{@code send()} runs on a pool of its own ({@code kafka-send}), not on Reactor's shared {@code boundedElastic}: it
 * blocks up to {@code max.block.ms} per call while the broker is away, and the gateway's store reads, which need no
 * broker, must not queue behind it.
 */
public class EventPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaTemplate<String, Object> kafka;
    private final Duration timeout;
    private final MeterRegistry meters;

    private final Scheduler sends = Schedulers.newBoundedElastic(Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE,
            Schedulers.DEFAULT_BOUNDED_ELASTIC_QUEUESIZE, "kafka-send", 60, true);

    public EventPublisher(KafkaTemplate<String, Object> kafka, Duration timeout, MeterRegistry meters) {
        this.kafka = kafka;
        this.timeout = timeout;
        this.meters = meters;
    }

    @Override
    public void close() {
        sends.dispose();
    }

    public Mono<Void> publish(List<? extends OutgoingRecord<?>> records) {
        if (records.isEmpty()) {
            return Mono.empty();
        }
        Timer.Sample sample = Timer.start(meters);
        // send() can block up to max.block.ms waiting for metadata when the broker is away: keep it off the event loop.
        return Mono.fromCallable(() -> sendAll(records))
                .subscribeOn(sends)
                .flatMap(all -> Mono.fromFuture(all))
                .timeout(timeout)
                .doOnSuccess(ignored -> {
                    sample.stop(meters.timer("ingest.publish.latency", "outcome", "acked"));
                    records.forEach(r -> meters.counter("ingest.records.published", "topic", r.destination()).increment());
                })
                .onErrorMap(e -> !(e instanceof PublishFailedException), e -> {
                    sample.stop(meters.timer("ingest.publish.latency", "outcome", "failed"));
                    if (tooLarge(e)) {
                        // Not an outage: no retry would ever get it through. A 503 here had the sender retrying for good.
                        log.warn("{} record(s) refused: a record is larger than its topic accepts", records.size());
                        return new PayloadTooLargeException("a record of this request is larger than its topic "
                                + "accepts (max.message.bytes); it cannot be published", e);
                    }
                    String reason = e instanceof TimeoutException ? "not acknowledged within " + timeout : e.toString();
                    log.warn("Kafka did not acknowledge {} record(s): {}", records.size(), reason);
                    return new PublishFailedException("Kafka did not acknowledge the records: " + reason, e);
                })
                .then();
    }

    private static boolean tooLarge(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private CompletableFuture<Void> sendAll(List<? extends OutgoingRecord<?>> records) {
        List<CompletableFuture<?>> acks = new ArrayList<>(records.size());
        for (OutgoingRecord<?> record : records) {
            ProducerRecord<String, Object> producerRecord = new ProducerRecord<>(record.destination(), null,
                    record.timestamp().toEpochMilli(), record.key(), record.value());
            record.headers().forEach((name, value) -> producerRecord.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            acks.add(kafka.send(producerRecord));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }
}
