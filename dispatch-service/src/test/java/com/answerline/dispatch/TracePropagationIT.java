package com.answerline.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.listener.MessageListenerContainer;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SessionState;
import com.answerline.dispatch.support.DispatchItStack;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.platform.testing.InMemorySpans;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * One reply's trace through dispatch on a real broker: a reply-commands record carrying the agent's
 * {@code traceparent} goes through the decision topology (which copies the header to the send-requests record),
 * the sender's listener continues that trace, its WhatsApp call carries a {@code traceparent} of the same trace,
 * and so does the outcome it publishes. The spans it exports meanwhile never hold the customer's number (issue 17).
 */
class TracePropagationIT {

    static final String REGISTRY = "mock://dispatch-trace-it";
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";
    static final String PHONE = "4915100000042";
    static final String CONVERSATION = "100000000000001:" + PHONE;

    @Test
    void shouldFollowOneReplyFromItsCommandToTheProviderCallAndTheOutcome() throws Exception {
        Path stateDir = Files.createTempDirectory("dispatch-trace-it");
        try (LoopbackKafkaBroker broker = LoopbackKafkaBroker.start();
             RecordingHttpServer provider = new RecordingHttpServer()) {
            provider.answer(DispatchItStack::accepted);
            try (ConfigurableApplicationContext app = DispatchItStack.startApp(broker, REGISTRY, provider, stateDir,
                    "--spring.main.sources=" + InMemorySpans.AsBean.class.getName(),
                    "--management.opentelemetry.tracing.export.schedule-delay=100ms");
                 KafkaProducer<String, Object> producer = DispatchItStack.avroProducer(broker, REGISTRY);
                 KafkaConsumer<String, Object> sendRequests = committedReader(broker, Topics.SEND_REQUESTS.name());
                 KafkaConsumer<String, Object> outcomes = committedReader(broker, Topics.DISPATCH_OUTCOMES.name())) {
                awaitRunning(app);

                // Given an open window
                producer.send(new ProducerRecord<>(Topics.CONVERSATION_SESSIONS.name(), CONVERSATION, session())).get();

                // When an agent's reply arrives in the agent's trace
                String commandId = UUID.randomUUID().toString();
                ProducerRecord<String, Object> command = new ProducerRecord<>(Topics.REPLY_COMMANDS.name(), CONVERSATION,
                        command(commandId));
                command.headers().add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
                producer.send(command).get();

                // Then the send-requests record carries the command's traceparent unchanged
                assertThat(traceparents(awaitRecordOf(sendRequests, commandId))).containsExactly(TRACEPARENT);
                // And the provider was called within the same trace, from a span of dispatch's own
                await().atMost(Duration.ofSeconds(60)).until(() -> sendCall(provider) != null);
                String call = sendCall(provider).header("traceparent");
                assertThat(call).isNotNull().matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01").isNotEqualTo(TRACEPARENT);
                // And the final outcome too
                assertThat(traceparents(awaitRecordOf(outcomes, commandId)))
                        .singleElement().asString().startsWith("00-" + TRACE_ID + "-");

                // And when a client also asks dispatch for a path with the conversation id in it
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + app.getEnvironment().getProperty("local.server.port") + "/api/v1/conversations/" + CONVERSATION
                        + "?to=%2B" + PHONE)).GET().build(), HttpResponse.BodyHandlers.discarding());
                // the spans exported (the listener's, the provider call's, that request's) never hold the number
                InMemorySpans spans = app.getBean(InMemorySpans.AsBean.class).spans();
                await().atMost(Duration.ofSeconds(30)).until(() -> spans.spans().stream().map(SpanData::getKind).toList()
                        .containsAll(List.of(SpanKind.SERVER, SpanKind.CONSUMER, SpanKind.CLIENT)));
                assertThat(spans.texts()).noneMatch(text -> text.contains(PHONE))
                        .contains("http.url=/api/v1/conversations/{conversationId}");
            }
        }
    }

    /** The WhatsApp send (not the template catalogue sync, which also calls the provider stand-in). */
    private static RecordingHttpServer.Request sendCall(RecordingHttpServer provider) {
        return provider.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/messages")).findFirst().orElse(null);
    }

    private static void awaitRunning(ConfigurableApplicationContext app) {
        StreamsBuilderFactoryBean streams = app.getBean(StreamsBuilderFactoryBean.class);
        await().atMost(Duration.ofSeconds(90)).until(() -> streams.getKafkaStreams() != null
                && streams.getKafkaStreams().state() == KafkaStreams.State.RUNNING);
        for (MessageListenerContainer container : app.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !container.getAssignedPartitions().isEmpty());
        }
    }

    /** The first committed record of the command (for outcomes: the final one), polling 60 s at most. */
    private static ConsumerRecord<String, Object> awaitRecordOf(KafkaConsumer<String, Object> consumer, String commandId) {
        List<ConsumerRecord<String, Object>> seen = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().anyMatch(r -> isFinalOf(r, commandId));
        });
        return seen.stream().filter(r -> isFinalOf(r, commandId)).findFirst().orElseThrow();
    }

    private static boolean isFinalOf(ConsumerRecord<String, Object> record, String commandId) {
        if (record.value() instanceof DispatchOutcome outcome) {
            return outcome.getCommandId().equals(commandId) && outcome.getFinal$();
        }
        return record.value() instanceof com.answerline.avro.SendRequest request && request.getCommandId().equals(commandId);
    }

    private static List<String> traceparents(ConsumerRecord<String, Object> record) {
        return StreamSupport.stream(record.headers().headers("traceparent").spliterator(), false)
                .map(Header::value).map(value -> new String(value, StandardCharsets.UTF_8)).toList();
    }

    /** DispatchItStack's read_committed reader, moved to {@code topic}'s partitions from the beginning. */
    private static KafkaConsumer<String, Object> committedReader(LoopbackKafkaBroker broker, String topic) {
        KafkaConsumer<String, Object> consumer = DispatchItStack.outcomeConsumer(broker, REGISTRY);
        consumer.assign(DispatchItStack.partitions(topic));
        consumer.seekToBeginning(consumer.assignment());
        return consumer;
    }

    private static SessionState session() {
        Instant lastMessage = Instant.now().minus(Duration.ofHours(1));
        return SessionState.newBuilder()
                .setTenantId("demo").setConversationId(CONVERSATION).setPhoneNumberId("100000000000001")
                .setVersion(1).setCustomerPhone(PHONE).setCustomerProfileName("Ada")
                .setLastCustomerMessageAt(lastMessage).setWindowOpenedAt(lastMessage)
                .setWindowExpiresAt(lastMessage.plus(Duration.ofHours(24))).setUpdatedAt(Instant.now())
                .build();
    }

    private static ReplyCommand command(String commandId) {
        return ReplyCommand.newBuilder()
                .setCommandId(commandId).setTenantId("demo").setConversationId(CONVERSATION)
                .setAgentId("agent-7").setAgentName("Grace").setText("Your parcel left today.")
                .setFallback(FallbackPolicy.AUTO).setIssuedAt(Instant.now())
                .build();
    }
}
