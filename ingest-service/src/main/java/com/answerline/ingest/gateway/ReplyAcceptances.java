package com.answerline.ingest.gateway;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import com.answerline.avro.ReplyAcceptance;
import com.answerline.avro.ReplyCommand;
import com.answerline.ingest.config.IdempotencyProperties;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.ingest.query.AcceptedReplies;
import com.answerline.schemas.topic.Topics;

/**
 * Stored idempotency of replies sent with a key: the first request publishes its {@link ReplyCommand}, then, once
 * Kafka acknowledged the command, its {@link ReplyAcceptance} (so its 202 means Kafka has both); every later request
 * with the key gets that acceptance back and publishes nothing.
 *
 * <p>One after the other, not in one {@link EventPublisher} call, because the two records go to different partitions
 * that Kafka acknowledges (or not) each on its own: an acceptance on Kafka without its command would have every retry
 * answered 202 for a reply no service ever saw. That happened in the long fault mode (docs/reliability.md, run 11): a
 * broker restart outlasted the producer's delivery timeout for the command's partition but not for the acceptance's.
 * In this order a failure leaves at most the command behind; the retry finds no acceptance and publishes the command
 * again, under the same derived command id, which dispatch deduplicates.
 *
 * <p>Where an earlier acceptance is found:
 * <ol>
 *   <li>in memory: the acceptances this instance wrote in the last minutes (a bounded Caffeine cache). It gives
 *       read-your-writes before the global table has caught up, and it serialises concurrent requests with the
 *       same key on this instance: the cache holds the first request's future, the second waits for it and
 *       gets its answer (a failed first attempt leaves the cache, so a retry starts afresh);</li>
 *   <li>in the {@code reply-acceptances} global table (every instance holds every acceptance of the last
 *       {@link Topics#IDEMPOTENCY_RETENTION}; older ones are treated as gone, as the topic deletes them).</li>
 * </ol>
 *
 * <p>What is left: two <em>instances</em> that get the same key within the table's lag (normally milliseconds;
 * longer while an instance's global consumer is behind) both find nothing and both publish, as does a retry
 * after a publish that timed out but reached Kafka. Both then carry the same derived command id, and dispatch
 * deduplicates command ids: that is the last line, not this class. Closing the window would need a single
 * writer per key (a Streams processor or a transaction), which a 202 on the request path cannot wait for cheaply.
 */
@Component
class ReplyAcceptances {

    private final AcceptedReplies table;
    private final EventPublisher publisher;
    private final Clock clock;
    private final AsyncCache<String, ReplyAcceptance> recent;

    ReplyAcceptances(AcceptedReplies table, EventPublisher publisher, Clock clock, IdempotencyProperties properties) {
        this.table = table;
        this.publisher = publisher;
        this.clock = clock;
        this.recent = Caffeine.newBuilder()
                .maximumSize(properties.recentCapacity())
                .expireAfterWrite(properties.recentTtl())
                .buildAsync();
    }

    /**
     * Publishes {@code command} with {@code acceptance}, unless a request with the same command id was accepted
     * before; either way, the acceptance that stands.
     *
     * @return the standing acceptance, and whether it is an earlier request's (a replay: compare fingerprints)
     * @throws com.answerline.ingest.query.IdempotencyStoreUnavailableException (in the Mono) while the table
     *         cannot be read
     */
    Mono<Standing> accept(ReplyCommand command, ReplyAcceptance acceptance) {
        CompletableFuture<ReplyAcceptance> first = recent.get(acceptance.getCommandId(),
                (commandId, executor) -> earlierOrPublish(command, acceptance).toFuture());
        // suppressCancel: a client that hangs up must not cancel the work another request may be waiting on.
        return Mono.fromFuture(first, true)
                // Identity, not equality: only the request whose own acceptance was published is not a replay.
                .map(standing -> new Standing(standing, standing != acceptance));
    }

    private Mono<ReplyAcceptance> earlierOrPublish(ReplyCommand command, ReplyAcceptance acceptance) {
        // A local RocksDB read: quick, but blocking, so off the event loop.
        return Mono.fromCallable(() -> table.find(acceptance.getCommandId()).filter(this::unexpired))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(earlier -> earlier.map(Mono::just).orElseGet(() -> publisher.publish(List.of(
                                new OutgoingRecord<>(Topics.REPLY_COMMANDS, command.getConversationId(), command.getIssuedAt(), command)))
                        // Only once Kafka has the command: see the class comment.
                        .then(Mono.defer(() -> publisher.publish(List.of(
                                new OutgoingRecord<>(Topics.REPLY_ACCEPTANCES, acceptance.getCommandId(), acceptance.getAcceptedAt(), acceptance)))))
                        .thenReturn(acceptance)));
    }

    /** The table keeps what the topic has already deleted until a restart; honour the retention either way. */
    private boolean unexpired(ReplyAcceptance acceptance) {
        return acceptance.getAcceptedAt().plus(Topics.IDEMPOTENCY_RETENTION).isAfter(clock.instant());
    }

    /** The acceptance that stands for a command id; {@code replayed} when an earlier request made it. */
    record Standing(ReplyAcceptance acceptance, boolean replayed) {
    }
}
