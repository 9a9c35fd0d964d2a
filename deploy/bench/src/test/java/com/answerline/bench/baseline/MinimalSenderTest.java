package com.answerline.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.bench.stage.DispatchBaseline;

class MinimalSenderTest {

    @Test
    void shouldSendEachKeysRecordsInOrderWithAtMostTheConcurrencyOfKeysAtOnce() {
        // Given a poll of 5 keys with 4 records each, interleaved
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            records.add(new ConsumerRecord<>("in", 0, n, "key-" + (n % 5), "value-" + n));
        }
        Map<String, List<String>> sentPerKey = new ConcurrentHashMap<>();
        AtomicInteger inFlight = new AtomicInteger();
        List<Integer> inFlightSeen = new CopyOnWriteArrayList<>();
        // When each send takes a moment and at most 2 keys may be in flight
        MinimalSender.inKeyOrder(records, record -> Mono.fromRunnable(() -> inFlightSeen.add(inFlight.incrementAndGet()))
                .then(Mono.delay(Duration.ofMillis(5)))
                .doOnNext(ignored -> sentPerKey.computeIfAbsent(record.key(), k -> new CopyOnWriteArrayList<>())
                        .add(record.value()))
                .doOnTerminate(inFlight::decrementAndGet), 2).block(Duration.ofSeconds(10));
        // Then every record was sent once, each key's in the poll's order, never more than 2 at once, 2 at some point
        assertThat(sentPerKey).hasSize(5);
        assertThat(sentPerKey.get("key-0")).containsExactly("value-0", "value-5", "value-10", "value-15");
        assertThat(sentPerKey.get("key-4")).containsExactly("value-4", "value-9", "value-14", "value-19");
        assertThat(inFlightSeen).hasSize(20).allMatch(n -> n <= 2).contains(2);
    }

    @Test
    void shouldPostATextMessageAsDispatchDoesAndTakeTheMessageIdOfTheAnswer() throws Exception {
        SendRequest request = DispatchBaseline.request("c-1", "100000000000001:15550001", "15550001");
        JsonNode body = new ObjectMapper().readTree(MinimalSender.textMessage(request));
        assertThat(body.path("messaging_product").asText()).isEqualTo("whatsapp");
        assertThat(body.path("to").asText()).isEqualTo("15550001");
        assertThat(body.path("type").asText()).isEqualTo("text");
        assertThat(body.path("text").path("body").asText()).isEqualTo(request.getText());
        assertThat(MinimalSender.wamid(200, "{\"messages\":[{\"id\":\"wamid.1\"}]}")).isEqualTo("wamid.1");
    }

    @Test
    void shouldStopAtARefusalOrAnAnswerWithoutMessageIdInsteadOfCountingItSent() {
        assertThatThrownBy(() -> MinimalSender.wamid(400, "{\"error\":{\"code\":131047}}"))
                .hasMessageContaining("400");
        assertThatThrownBy(() -> MinimalSender.wamid(200, "{\"messages\":[]}")).hasMessageContaining("without a message id");
        assertThatThrownBy(() -> MinimalSender.wamid(200, "<html>")).hasMessageContaining("not JSON");
    }

    @Test
    void shouldWriteOneFinalSentOutcomeForTheRequest() {
        SendRequest request = DispatchBaseline.request("c-2", "100000000000001:15550002", "15550002");
        Instant at = Instant.parse("2026-12-07T22:00:00Z");
        DispatchOutcome outcome = MinimalSender.sent(request, "wamid.2", at);
        assertThat(outcome.getCommandId()).isEqualTo("c-2");
        assertThat(outcome.getConversationId()).isEqualTo("100000000000001:15550002");
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(outcome.getStep()).isEqualTo(SendStep.REPLY);
        assertThat(outcome.getProviderMessageId()).isEqualTo("wamid.2");
        assertThat(outcome.getFinal$()).isTrue();
        assertThat(outcome.getOccurredAt()).isEqualTo(at);
    }
}
