package com.answerline.dispatch.send;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.SendRequest;
import com.answerline.schemas.topic.Topics;

/**
 * Consumes decided SendRequests (read_committed: only what the decision topology committed), sends each at most
 * once across retries, redeliveries, rebalances and restarts (the {@link SendLedger}), and publishes its final
 * outcome before the offset is committed. Failure policy: the container's {@code DefaultErrorHandler} (see
 * config), poison records to {@code send-requests-dlt}.
 */
@Component
class SendRequestListener {

    private static final Logger log = LoggerFactory.getLogger(SendRequestListener.class);

    private final ReplySender sender;
    private final SendLedger ledger;
    private final KafkaTemplate<String, DispatchOutcome> outcomes;
    private final Clock clock;

    SendRequestListener(ReplySender sender, SendLedger ledger, KafkaTemplate<String, DispatchOutcome> outcomes, Clock clock) {
        this.sender = sender;
        this.ledger = ledger;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    @KafkaListener(id = "dispatch-sender", topics = "#{T(com.answerline.schemas.topic.Topics).SEND_REQUESTS.name()}")
    void onSendRequest(ConsumerRecord<String, SendRequest> record) throws Exception {
        SendRequest request = record.value();
        int partition = record.partition();
        // The command id is the idempotency key: a request seen again (error-handler retry, redelivery after a
        // rebalance or a restart, a duplicate request) never reaches the provider a second time.
        DispatchOutcome entry = ledger.entryOf(partition, request.getCommandId());
        DispatchOutcome outcome;
        if (entry == null) {
            ledger.sending(partition, request, clock.instant());
            outcome = sender.send(request);
            ledger.done(partition, outcome);
        } else if (SendLedger.inDoubt(entry)) {
            outcome = SendLedger.unknown(entry, clock.instant());
            ledger.done(partition, outcome);
            log.warn("command {}: a send began before a restart and its result was never logged; not resent, outcome {}",
                    request.getCommandId(), SendLedger.SEND_STATE_UNKNOWN);
        } else {
            outcome = entry;
            log.info("command {} already has its final outcome; duplicate suppressed, outcome republished", request.getCommandId());
        }
        outcomes.send(Topics.DISPATCH_OUTCOMES.name(), record.key(), outcome).get(30, TimeUnit.SECONDS);
        log.info("command {} tenant {}: {} via {} ({})", outcome.getCommandId(), outcome.getTenantId(),
                outcome.getStatus(), outcome.getChannel(), outcome.getReason());
    }
}
