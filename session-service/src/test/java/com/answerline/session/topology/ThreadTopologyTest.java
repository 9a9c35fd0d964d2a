package com.answerline.session.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.answerline.avro.Channel;
import com.answerline.avro.CostEstimate;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ProviderError;
import com.answerline.avro.SendStep;
import com.answerline.avro.TemplateRef;
import com.answerline.avro.ThreadDirection;
import com.answerline.avro.ThreadMessage;
import com.answerline.schemas.thread.ThreadHeaders;
import com.answerline.schemas.thread.ThreadItem;
import com.answerline.schemas.topic.Topics;
import com.answerline.session.config.SessionThreadProperties;
import com.answerline.session.query.LocalThreadQueries;
import com.answerline.session.query.MediaQuery;
import com.answerline.session.query.MediaReference;
import com.answerline.session.query.ThreadPage;
import com.answerline.session.query.ThreadQuery;
import com.answerline.session.thread.ThreadKeys;
import com.answerline.session.thread.ThreadLimits;

/**
 * The thread through the production topology ({@link ProductionTopologyDriver}): what a customer's messages, the
 * outcomes of our sends and the provider's statuses make of a conversation's thread, in the store, on
 * {@code conversation-messages} and through the read API's query.
 */
class ThreadTopologyTest {

    private static final String CONVERSATION = "100000000000001:15551230001";
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final Instant T0 = NOW.minus(Duration.ofHours(2));
    private static final ThreadLimits DEFAULTS = SessionThreadProperties.DEFAULTS.limits();

    @TempDir
    Path dataDir;

    private ProductionTopologyDriver topology;
    private TestInputTopic<String, InboundMessage> inbound;
    private TestInputTopic<String, DispatchOutcome> outcomes;
    private TestInputTopic<String, DeliveryStatus> statuses;
    private TestOutputTopic<String, ThreadMessage> published;
    private KeyValueStore<String, ThreadMessage> thread;
    private KeyValueStore<String, String> index;

    private void start(ThreadLimits limits) {
        topology = new ProductionTopologyDriver(dataDir, "thread-topology-test",
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry(), NOW, limits);
        inbound = topology.input(Topics.INBOUND_MESSAGES);
        outcomes = topology.input(Topics.DISPATCH_OUTCOMES);
        statuses = topology.input(Topics.DELIVERY_STATUSES);
        published = topology.output(Topics.CONVERSATION_MESSAGES);
        thread = topology.driver().getKeyValueStore(SessionTopology.THREAD_STORE);
        index = topology.driver().getKeyValueStore(SessionTopology.THREAD_INDEX_STORE);
    }

    @AfterEach
    void closeDriver() {
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void shouldKeepEachCustomerMessageOnceNewestFirstWithItsMedia() {
        start(DEFAULTS);

        // Given a text, an image with its caption and size, and the text again (Meta redelivers)
        inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "wamid.1", T0).build());
        inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "wamid.2", T0.plusSeconds(30))
                .setType("image").setText("the broken part").setContextMessageId("wamid.1")
                .setDetails(Map.of("media_id", "MEDIA-1", "mime_type", "image/jpeg", "file_size", "48213")).build());
        inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "wamid.1", T0).build());

        // Then two messages, each published once, each with the header naming its direction (ingest-service's
        // reply outcomes skip customer messages by it, undecoded)
        List<TestRecord<String, ThreadMessage>> records = published.readRecordsToList();
        assertThat(records).extracting(r -> r.value().getEntryId()).containsExactly("in:wamid.1", "in:wamid.2");
        assertThat(records).allSatisfy(r -> assertThat(
                ThreadHeaders.names(r.headers(), ThreadDirection.INBOUND)).isTrue());
        ThreadPage page = page(null, 50);
        assertThat(page.items()).extracting(ThreadItem::id).containsExactly("in:wamid.2", "in:wamid.1");
        ThreadItem image = page.items().get(0);
        assertThat(image.direction()).isEqualTo("INBOUND");
        assertThat(image.channel()).isEqualTo("WHATSAPP");
        assertThat(image.at()).isEqualTo(T0.plusSeconds(30));
        assertThat(image.type()).isEqualTo("image");
        assertThat(image.text()).isEqualTo("the broken part");
        assertThat(image.replyTo()).isEqualTo("wamid.1");
        assertThat(image.media()).isEqualTo(new ThreadItem.Media("MEDIA-1", "image/jpeg", null, 48_213L,
                "/api/v1/conversations/100000000000001:15551230001/media/MEDIA-1"));
        assertThat(page.items().get(1).text()).isEqualTo("hello");
        assertThat(page.nextCursor()).isNull();

        // And the media reference is found for this tenant only
        assertThat(LocalThreadQueries.media(thread, new MediaQuery(CONVERSATION, "demo", "MEDIA-1")))
                .contains(new MediaReference("MEDIA-1", "100000000000001", "image/jpeg", null, 48_213L, "in:wamid.2"));
        assertThat(LocalThreadQueries.media(thread, new MediaQuery(CONVERSATION, "other", "MEDIA-1"))).isEmpty();
        assertThat(LocalThreadQueries.media(thread, new MediaQuery(CONVERSATION, "demo", "MEDIA-9"))).isEmpty();
    }

    @Test
    void shouldKeepAnSmsOnceWhenTwilioRedeliversItWithALaterReceiptTime() {
        start(DEFAULTS);

        // Given an SMS in the thread, timed at ingest's receipt
        inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "SM00000000000000000000000000000b01",
                T0).setChannel(Channel.SMS).build());

        // When Twilio redelivers it (same MessageSid), received 30 seconds later, and another SMS follows
        inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "SM00000000000000000000000000000b01",
                T0.plusSeconds(30)).setChannel(Channel.SMS).build());
        inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "SM00000000000000000000000000000b02",
                T0.plusSeconds(60)).setChannel(Channel.SMS).build());

        // Then each SMS is in the thread once, at its first receipt, and published once
        assertThat(published.readValuesToList()).extracting(ThreadMessage::getEntryId)
                .containsExactly("in:SM00000000000000000000000000000b01", "in:SM00000000000000000000000000000b02");
        assertThat(page(null, 50).items()).extracting(ThreadItem::id, ThreadItem::at).containsExactly(
                tuple("in:SM00000000000000000000000000000b02", T0.plusSeconds(60)),
                tuple("in:SM00000000000000000000000000000b01", T0));
    }

    @Test
    void shouldPageNewestFirstWithACursorAndHideAnotherTenantsThread() {
        start(DEFAULTS);
        for (int m = 0; m < 5; m++) {
            inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "wamid." + m,
                    T0.plusSeconds(m)).build());
        }

        // When the thread is read two at a time
        ThreadPage first = page(null, 2);
        ThreadPage second = page(ThreadKeys.sortKeyOfCursor(first.nextCursor()), 2);
        ThreadPage last = page(ThreadKeys.sortKeyOfCursor(second.nextCursor()), 2);

        // Then the pages neither repeat nor skip, and the last says so
        assertThat(first.items()).extracting(ThreadItem::id).containsExactly("in:wamid.4", "in:wamid.3");
        assertThat(second.items()).extracting(ThreadItem::id).containsExactly("in:wamid.2", "in:wamid.1");
        assertThat(last.items()).extracting(ThreadItem::id).containsExactly("in:wamid.0");
        assertThat(last.nextCursor()).isNull();

        // And another tenant, or a conversation without messages, finds no thread at all
        assertThat(LocalThreadQueries.page(thread, new ThreadQuery(CONVERSATION, "other", null, 50))).isEmpty();
        assertThat(LocalThreadQueries.page(thread, new ThreadQuery("100000000000001:15551230002", "demo", null, 50)))
                .isEmpty();
    }

    @Test
    void shouldEndAPageOfLongMessagesEarlyWithItsCursorSoThatItStaysSmall() {
        // Given five customer messages of 60,000 characters each (the guard allows 65,536)
        start(DEFAULTS);
        String longText = "x".repeat(60_000);
        for (int m = 0; m < 5; m++) {
            inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "wamid." + m,
                    T0.plusSeconds(m)).setText(longText).build());
        }

        // When an agent asks for 50
        ThreadPage first = page(null, 50);
        ThreadPage second = page(ThreadKeys.sortKeyOfCursor(first.nextCursor()), 50);

        // Then the first page stops at the text budget (3 x 60,000 <= 200,000 < 4 x 60,000) with a cursor to the rest,
        // and the next has the remaining two, nothing repeated or skipped
        assertThat(first.items()).extracting(ThreadItem::id).containsExactly("in:wamid.4", "in:wamid.3", "in:wamid.2");
        assertThat(second.items()).extracting(ThreadItem::id).containsExactly("in:wamid.1", "in:wamid.0");
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void shouldFollowASendFromPendingToReadAndNeverBackwards() {
        start(DEFAULTS);
        Instant decided = T0.plusSeconds(60);

        // Given a reply that waited, then went out on WhatsApp, and its statuses: delivered twice, read, then late
        // copies of sent and delivered
        outcomes.pipeInput(CONVERSATION, outcome("cmd-1", SendStep.REPLY, OutcomeStatus.PENDING, decided).build());
        outcomes.pipeInput(CONVERSATION, sent("cmd-1", SendStep.REPLY, "wamid.out", decided.plusSeconds(1)).build());
        outcomes.pipeInput(CONVERSATION, sent("cmd-1", SendStep.REPLY, "wamid.out", decided.plusSeconds(1)).build());
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.DELIVERED, decided.plusSeconds(3)).build());
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.DELIVERED, decided.plusSeconds(3)).build());
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.READ, decided.plusSeconds(9)).build());
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.SENT, decided.plusSeconds(2)).build());
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.DELIVERED, decided.plusSeconds(4)).build());

        // Then one message, published at each change: PENDING, SENT, DELIVERED, READ, and the late "sent" time
        List<TestRecord<String, ThreadMessage>> records = published.readRecordsToList();
        assertThat(records).allSatisfy(r -> assertThat(
                ThreadHeaders.names(r.headers(), ThreadDirection.OUTBOUND)).isTrue());
        List<ThreadMessage> changes = records.stream().map(TestRecord::value).toList();
        assertThat(changes).extracting(ThreadMessage::getEntryId).containsOnly("out:cmd-1/REPLY");
        assertThat(changes).extracting(m -> m.getDelivery() == null ? null : m.getDelivery().getState())
                .containsExactly(null, DeliveryState.QUEUED, DeliveryState.DELIVERED, DeliveryState.READ,
                        DeliveryState.READ);
        ThreadItem reply = page(null, 50).items().get(0);
        assertThat(reply.direction()).isEqualTo("OUTBOUND");
        assertThat(reply.at()).isEqualTo(decided);
        assertThat(reply.status()).isEqualTo("SENT");
        assertThat(reply.reason()).isEqualTo("WINDOW_OPEN");
        assertThat(reply.channel()).isEqualTo("WHATSAPP");
        assertThat(reply.type()).isEqualTo("text");
        assertThat(reply.text()).isEqualTo("Your parcel left today.");
        assertThat(reply.agentId()).isEqualTo("agent-7");
        assertThat(reply.commandId()).isEqualTo("cmd-1");
        assertThat(reply.step()).isEqualTo("REPLY");
        assertThat(reply.providerMessageId()).isEqualTo("wamid.out");
        assertThat(reply.estimatedCost()).isEqualTo(new ThreadItem.Cost("EUR", "0.0456", 45_600, "UTILITY DE"));
        assertThat(reply.delivery()).isEqualTo(new ThreadItem.Delivery("READ", decided.plusSeconds(1),
                decided.plusSeconds(2), decided.plusSeconds(3), decided.plusSeconds(9), null, null, null));
    }

    @Test
    void shouldShowADirectSendReplyAsTheAgentsTextOnThatChannelAndFoldItAsTheSessionsLastReply() {
        start(DEFAULTS);
        Instant sentAt = T0.plusSeconds(60);

        // Given a reply sent after the window through Direct Send, then delivered
        outcomes.pipeInput(CONVERSATION, sent("cmd-1", SendStep.REPLY, "wamid.ds", sentAt)
                .setChannel(Channel.WHATSAPP_DIRECT_SEND).setOutcomeReason(OutcomeReason.WINDOW_CLOSED_DIRECT_SEND).build());
        statuses.pipeInput(CONVERSATION, status("wamid.ds", DeliveryState.DELIVERED, sentAt.plusSeconds(2)).build());

        // Then the thread shows the agent's text (not a template) on WHATSAPP_DIRECT_SEND, delivered
        ThreadItem reply = page(null, 50).items().get(0);
        assertThat(reply.channel()).isEqualTo("WHATSAPP_DIRECT_SEND");
        assertThat(reply.type()).isEqualTo("text");
        assertThat(reply.text()).isEqualTo("Your parcel left today.");
        assertThat(reply.reason()).isEqualTo("WINDOW_CLOSED_DIRECT_SEND");
        assertThat(reply.delivery().state()).isEqualTo("DELIVERED");
        // And the session folded it as its last reply on that channel (the fold reads every channel of the wire)
        KeyValueStore<String, com.answerline.avro.SessionState> sessions =
                topology.driver().getKeyValueStore(SessionTopology.SESSION_STORE);
        assertThat(sessions.get(CONVERSATION).getLastOutbound().getChannel()).isEqualTo(Channel.WHATSAPP_DIRECT_SEND);
        assertThat(sessions.get(CONVERSATION).getLastOutbound().getStatus().name()).isEqualTo("DELIVERED");
    }

    @Test
    void shouldApplyStatusesThatArriveBeforeTheOutcomeNamingTheirMessage() {
        start(DEFAULTS);
        Instant sentAt = T0.plusSeconds(60);
        outcomes.pipeInput(CONVERSATION, outcome("cmd-1", SendStep.REPLY, OutcomeStatus.PENDING, sentAt).build());

        // Given the provider's statuses of wamid.early before dispatch's SENT outcome that names it
        statuses.pipeInput(CONVERSATION, status("wamid.early", DeliveryState.READ, sentAt.plusSeconds(5)).build());
        statuses.pipeInput(CONVERSATION, status("wamid.early", DeliveryState.DELIVERED, sentAt.plusSeconds(2)).build());
        published.readValuesToList();
        assertThat(unmatched("wamid.early")).isNotNull();

        // When the outcome arrives
        outcomes.pipeInput(CONVERSATION, sent("cmd-1", SendStep.REPLY, "wamid.early", sentAt.plusSeconds(1)).build());

        // Then the send shows both statuses at once, and they are no longer waiting
        ThreadMessage send = published.readValue();
        assertThat(send.getDelivery().getState()).isEqualTo(DeliveryState.READ);
        assertThat(send.getDelivery().getAcceptedAt()).isEqualTo(sentAt.plusSeconds(1));
        assertThat(send.getDelivery().getDeliveredAt()).isEqualTo(sentAt.plusSeconds(2));
        assertThat(send.getDelivery().getReadAt()).isEqualTo(sentAt.plusSeconds(5));
        assertThat(published.isEmpty()).isTrue();
        assertThat(unmatched("wamid.early")).isNull();
    }

    @Test
    void shouldShowASettledSendSentThenDeliveredWhenItsStatusNamedItBeforeTheSentOutcome() {
        // Given a reply whose provider answer was lost: PENDING SEND_STATE_UNKNOWN, no provider message id yet
        start(DEFAULTS);
        Instant sentAt = T0.plusSeconds(60);
        outcomes.pipeInput(CONVERSATION, outcome("cmd-1", SendStep.REPLY, OutcomeStatus.PENDING, sentAt)
                .setOutcomeReason(OutcomeReason.SEND_STATE_UNKNOWN).build());
        published.readValuesToList();

        // When its "delivered" status, naming the send by command and step, comes before dispatch settles it
        statuses.pipeInput(CONVERSATION, status("wamid.lost", DeliveryState.DELIVERED, sentAt.plusSeconds(2))
                .setCommandId("cmd-1").setStep(SendStep.REPLY).build());

        // Then the send shows it delivered at once (nothing waits unmatched)
        assertThat(published.readValue().getDelivery().getDeliveredAt()).isEqualTo(sentAt.plusSeconds(2));
        assertThat(unmatched("wamid.lost")).isNull();

        // And when dispatch's settled SENT outcome comes with the wamid, the send is SENT, delivered, and "read" by wamid
        outcomes.pipeInput(CONVERSATION, sent("cmd-1", SendStep.REPLY, "wamid.lost", sentAt.plusSeconds(3)).build());
        statuses.pipeInput(CONVERSATION, status("wamid.lost", DeliveryState.READ, sentAt.plusSeconds(9)).build());
        ThreadItem reply = page(null, 50).items().get(0);
        assertThat(reply.providerMessageId()).isEqualTo("wamid.lost");
        assertThat(reply.delivery().state()).isEqualTo("READ");
        assertThat(reply.delivery().deliveredAt()).isEqualTo(sentAt.plusSeconds(2));
        assertThat(thread.get(index.get(ThreadKeys.byEntryId(CONVERSATION, "out:cmd-1/REPLY"))).getOutcomeStatus())
                .isEqualTo(OutcomeStatus.SENT);
    }

    @Test
    void shouldNotApplyAStatusNamingASendThatWentOutWithAnotherMessageId() {
        // Given a SENT reply (wamid.real)
        start(DEFAULTS);
        outcomes.pipeInput(CONVERSATION, sent("cmd-1", SendStep.REPLY, "wamid.real", T0).build());
        published.readValuesToList();

        // When a status names the same send but another message
        statuses.pipeInput(CONVERSATION, status("wamid.other", DeliveryState.FAILED, T0.plusSeconds(2))
                .setCommandId("cmd-1").setStep(SendStep.REPLY).build());

        // Then the send is unchanged, and the status waits for its own message
        assertThat(published.isEmpty()).isTrue();
        assertThat(unmatched("wamid.other")).isNotNull();
    }

    @Test
    void shouldLinkTheFailoverOfAHeldAnswerToTheHeldAnswerItReplaced() {
        // Given a held answer released on WhatsApp (its command has no REPLY send) that failed later
        start(DEFAULTS);
        Instant sentAt = T0.plusSeconds(60);
        outcomes.pipeInput(CONVERSATION, sent("cmd-9", SendStep.HELD_ANSWER, "wamid.held", sentAt).build());

        // When dispatch fails it over to an SMS
        outcomes.pipeInput(CONVERSATION, sent("cmd-9", SendStep.FAILOVER, "SM0999", sentAt.plusSeconds(5))
                .setChannel(Channel.SMS).setOutcomeReason(OutcomeReason.DELIVERY_FAILED_SMS_FALLBACK).build());

        // Then the failover names the held answer, and the held answer names the failover
        List<ThreadItem> items = page(null, 50).items();
        assertThat(items).extracting(ThreadItem::id).containsExactly("out:cmd-9/FAILOVER", "out:cmd-9/HELD_ANSWER");
        assertThat(items.get(0).failover()).isEqualTo(new ThreadItem.Failover("out:cmd-9/HELD_ANSWER", null));
        assertThat(items.get(1).failover()).isEqualTo(new ThreadItem.Failover(null, "out:cmd-9/FAILOVER"));
    }

    @Test
    void shouldShowALateFailureWithTheProvidersCodeAndTitleAndLinkTheFailover() {
        start(DEFAULTS);
        Instant sentAt = T0.plusSeconds(60);
        outcomes.pipeInput(CONVERSATION, sent("cmd-1", SendStep.REPLY, "wamid.out", sentAt).build());
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.DELIVERED, sentAt.plusSeconds(1)).build());

        // When WhatsApp reports it failed after all (131047), and dispatch fails over to an SMS
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.FAILED, sentAt.plusSeconds(4))
                .setErrors(List.of(ProviderError.newBuilder().setCode(131047).setTitle("Re-engagement message").build()))
                .build());
        outcomes.pipeInput(CONVERSATION, sent("cmd-1", SendStep.FAILOVER, "SM0123", sentAt.plusSeconds(5))
                .setChannel(Channel.SMS).setOutcomeReason(OutcomeReason.DELIVERY_FAILED_SMS_FALLBACK).build());

        // Then the reply shows as failed with the code and title, and the two messages name each other
        List<ThreadItem> items = page(null, 50).items();
        assertThat(items).extracting(ThreadItem::id).containsExactly("out:cmd-1/FAILOVER", "out:cmd-1/REPLY");
        ThreadItem failover = items.get(0);
        ThreadItem reply = items.get(1);
        assertThat(reply.delivery().state()).isEqualTo("FAILED");
        assertThat(reply.delivery().deliveredAt()).isEqualTo(sentAt.plusSeconds(1));
        assertThat(reply.delivery().failedAt()).isEqualTo(sentAt.plusSeconds(4));
        assertThat(reply.delivery().errorCode()).isEqualTo(131047);
        assertThat(reply.delivery().errorTitle()).isEqualTo("Re-engagement message");
        assertThat(reply.failover()).isEqualTo(new ThreadItem.Failover(null, "out:cmd-1/FAILOVER"));
        assertThat(failover.failover()).isEqualTo(new ThreadItem.Failover("out:cmd-1/REPLY", null));
        assertThat(failover.channel()).isEqualTo("SMS");
        assertThat(failover.delivery().state()).isEqualTo("QUEUED");

        // And a delivery status of the SMS reaches the failover, not the reply
        statuses.pipeInput(CONVERSATION, status("SM0123", DeliveryState.DELIVERED, sentAt.plusSeconds(9))
                .setChannel(Channel.SMS).build());
        assertThat(page(null, 50).items().get(0).delivery().state()).isEqualTo("DELIVERED");
    }

    @Test
    void shouldShowASendTheProviderRefusedWithItsCodeAndTitle() {
        start(DEFAULTS);

        outcomes.pipeInput(CONVERSATION, outcome("cmd-1", SendStep.REPLY, OutcomeStatus.FAILED, T0)
                .setOutcomeReason(OutcomeReason.WHATSAPP_ERROR).setErrorCode(131049)
                .setErrorTitle("Not delivered to maintain healthy ecosystem engagement").build());

        ThreadItem reply = page(null, 50).items().get(0);
        assertThat(reply.status()).isEqualTo("FAILED");
        assertThat(reply.delivery()).isEqualTo(new ThreadItem.Delivery("FAILED", null, null, null, null, T0, 131049,
                "Not delivered to maintain healthy ecosystem engagement"));
    }

    @Test
    void shouldKeepTheInvitationTemplateWhenTheHeldAnswerExpires() {
        start(DEFAULTS);
        TemplateRef template = TemplateRef.newBuilder().setName("customer_care_reopen").setLanguage("en")
                .setParameters(List.of("Ada", "agent-7")).build();

        // Given an invitation that went out (HELD) and a hold that then expired (no template on that outcome)
        outcomes.pipeInput(CONVERSATION, sent("cmd-1", SendStep.HOLD_INVITATION, "wamid.inv", T0)
                .setStatus(OutcomeStatus.HELD).setChannel(Channel.WHATSAPP_TEMPLATE).setTemplate(template)
                .setRenderedText("Dear Ada, ...").setOutcomeReason(OutcomeReason.WINDOW_CLOSED_ANSWER_HELD).build());
        outcomes.pipeInput(CONVERSATION, outcome("cmd-1", SendStep.HOLD_INVITATION, OutcomeStatus.EXPIRED,
                T0.plusSeconds(3600)).setOutcomeReason(OutcomeReason.HOLD_EXPIRED).setChannel(null)
                .setAgentId(null).build());

        // Then the invitation is one message, EXPIRED, still naming its template and what the customer saw
        ThreadItem invitation = page(null, 50).items().get(0);
        assertThat(page(null, 50).items()).hasSize(1);
        assertThat(invitation.status()).isEqualTo("EXPIRED");
        assertThat(invitation.reason()).isEqualTo("HOLD_EXPIRED");
        assertThat(invitation.type()).isEqualTo("template");
        assertThat(invitation.template()).isEqualTo(new ThreadItem.Template("customer_care_reopen", "en",
                List.of("Ada", "agent-7")));
        assertThat(invitation.text()).isEqualTo("Dear Ada, ...");
        assertThat(invitation.channel()).isEqualTo("WHATSAPP_TEMPLATE");
        assertThat(invitation.agentId()).isEqualTo("agent-7");
        assertThat(invitation.step()).isEqualTo("HOLD_INVITATION");
    }

    @Test
    void shouldShowReactionsOnTheMessageTheyReactToAndRemoveOneWithAnEmptyEmoji() {
        start(DEFAULTS);
        inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "wamid.1", T0).build());
        outcomes.pipeInput(CONVERSATION, sent("cmd-1", SendStep.REPLY, "wamid.out", T0.plusSeconds(60)).build());
        published.readValuesToList();

        // When the customer reacts to our reply (twice: Meta redelivers), removes it, and reacts to their own message
        inbound.pipeInput(CONVERSATION, reaction("wamid.r1", "wamid.out", "👍", T0.plusSeconds(70)));
        inbound.pipeInput(CONVERSATION, reaction("wamid.r1", "wamid.out", "👍", T0.plusSeconds(70)));
        inbound.pipeInput(CONVERSATION, reaction("wamid.r2", "wamid.out", null, T0.plusSeconds(80)));
        inbound.pipeInput(CONVERSATION, reaction("wamid.r3", "wamid.1", "❤️", T0.plusSeconds(90)));
        inbound.pipeInput(CONVERSATION, reaction("wamid.r4", "wamid.unknown", "😮", T0.plusSeconds(95)));

        // Then no reaction is a message of its own; each shows on its message, the last one being the current one
        List<ThreadItem> items = page(null, 50).items();
        assertThat(items).extracting(ThreadItem::id).containsExactly("out:cmd-1/REPLY", "in:wamid.1");
        assertThat(items.get(0).reactions()).containsExactly(new ThreadItem.Reaction("👍", T0.plusSeconds(70)),
                new ThreadItem.Reaction("", T0.plusSeconds(80)));
        assertThat(items.get(1).reactions()).containsExactly(new ThreadItem.Reaction("❤️", T0.plusSeconds(90)));
        assertThat(published.readValuesToList()).hasSize(3);
    }

    @Test
    void shouldDropMessagesBeyondTheBoundAndTheRetentionAtTheSweep() {
        Duration retention = Duration.ofDays(1);
        start(new ThreadLimits(retention, 3, Duration.ofSeconds(10), Duration.ofHours(1)));
        String other = "100000000000001:15551230002";

        // Given five messages in one conversation, and in another an old reply and a recent message
        for (int m = 0; m < 5; m++) {
            inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "wamid." + m,
                    T0.plusSeconds(m)).build());
        }
        outcomes.pipeInput(other, sent("cmd-old", SendStep.REPLY, "wamid.old", NOW.minus(retention).minusSeconds(1))
                .setConversationId(other).build());
        inbound.pipeInput(other, ProductionTopologyDriver.whatsApp(other, "wamid.recent", T0).build());
        published.readValuesToList();

        // When the sweep runs
        topology.driver().advanceWallClockTime(Duration.ofSeconds(10));

        // Then the first conversation keeps its three newest, the other loses the reply older than the retention,
        // with its index entries; nothing is published for drops
        assertThat(page(null, 50).items()).extracting(ThreadItem::id)
                .containsExactly("in:wamid.4", "in:wamid.3", "in:wamid.2");
        assertThat(LocalThreadQueries.page(thread, new ThreadQuery(other, "demo", null, 50)).orElseThrow().items())
                .extracting(ThreadItem::id).containsExactly("in:wamid.recent");
        assertThat(index.get(ThreadKeys.byEntryId(other, "out:cmd-old/REPLY"))).isNull();
        assertThat(index.get(ThreadKeys.byProviderMessageId(other, "wamid.old"))).isNull();
        assertThat(published.isEmpty()).isTrue();
    }

    @Test
    void shouldForgetAStatusThatNoSendClaimedWithinItsRetention() {
        start(new ThreadLimits(Duration.ofDays(90), 1000, Duration.ofSeconds(10), Duration.ofMinutes(1)));
        statuses.pipeInput(CONVERSATION, status("wamid.nobody", DeliveryState.DELIVERED, T0).build());

        topology.driver().advanceWallClockTime(Duration.ofSeconds(30));
        assertThat(unmatched("wamid.nobody")).isNotNull();
        topology.driver().advanceWallClockTime(Duration.ofSeconds(40));

        assertThat(unmatched("wamid.nobody")).isNull();
    }

    @Test
    void shouldRebuildTheSameThreadByReplayingTheInputs() {
        // Given a thread built from a mix of inputs
        start(DEFAULTS);
        List<Runnable> inputs = mixedInputs();
        inputs.forEach(Runnable::run);
        List<ThreadMessage> live = storeContents();
        topology.close();
        topology = null;

        // When a fresh instance with an empty state directory reads the same inputs
        dataDir = dataDir.resolve("fresh");
        start(DEFAULTS);
        inputs.forEach(Runnable::run);

        // Then it holds the same thread
        assertThat(storeContents()).isEqualTo(live).hasSize(4);
    }

    private List<Runnable> mixedInputs() {
        Instant at = T0;
        return List.of(
                () -> inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "wamid.1", at).build()),
                () -> outcomes.pipeInput(CONVERSATION, sent("cmd-1", SendStep.REPLY, "wamid.out", at.plusSeconds(9)).build()),
                () -> statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.READ, at.plusSeconds(20)).build()),
                () -> inbound.pipeInput(CONVERSATION, reaction("wamid.r", "wamid.out", "👍", at.plusSeconds(30))),
                () -> statuses.pipeInput(CONVERSATION, status("wamid.tpl", DeliveryState.DELIVERED, at.plusSeconds(41)).build()),
                () -> outcomes.pipeInput(CONVERSATION, sent("cmd-2", SendStep.REPLY, "wamid.tpl", at.plusSeconds(40))
                        .setChannel(Channel.WHATSAPP_TEMPLATE).setTemplate(TemplateRef.newBuilder().setName("t")
                                .setLanguage("en").setParameters(List.of("a")).build()).build()),
                () -> inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "wamid.2",
                        at.plusSeconds(50)).setType("location").setText(null)
                        .setDetails(Map.of("latitude", "52.5", "longitude", "13.4")).build()));
    }

    private List<ThreadMessage> storeContents() {
        List<ThreadMessage> messages = new ArrayList<>();
        try (KeyValueIterator<String, ThreadMessage> all = thread.all()) {
            all.forEachRemaining((KeyValue<String, ThreadMessage> kv) -> messages.add(kv.value));
        }
        return messages;
    }

    private Object unmatched(String providerMessageId) {
        return topology.driver().getTimestampedKeyValueStore(SessionTopology.THREAD_UNMATCHED_STATUSES_STORE)
                .get(ThreadKeys.unmatchedStatus(CONVERSATION, providerMessageId));
    }

    private ThreadPage page(String before, int limit) {
        Optional<ThreadPage> page = LocalThreadQueries.page(thread, new ThreadQuery(CONVERSATION, "demo", before, limit));
        return page.orElseThrow();
    }

    private static InboundMessage reaction(String wamid, String reactedTo, String emoji, Instant at) {
        return ProductionTopologyDriver.whatsApp(CONVERSATION, wamid, at).setType("reaction").setText(emoji)
                .setDetails(Map.of("reacted_message_id", reactedTo)).build();
    }

    private static DispatchOutcome.Builder outcome(String commandId, SendStep step, OutcomeStatus status, Instant at) {
        return DispatchOutcome.newBuilder().setCommandId(commandId).setTenantId("demo").setConversationId(CONVERSATION)
                .setStatus(status).setReason(status.name()).setOutcomeReason(OutcomeReason.WAITING_FOR_SESSION)
                .setStep(step).setAgentId("agent-7").setFinal$(status != OutcomeStatus.PENDING).setOccurredAt(at);
    }

    private static DispatchOutcome.Builder sent(String commandId, SendStep step, String providerMessageId, Instant at) {
        return outcome(commandId, step, OutcomeStatus.SENT, at).setOutcomeReason(OutcomeReason.WINDOW_OPEN)
                .setChannel(Channel.WHATSAPP).setProviderMessageId(providerMessageId)
                .setRenderedText("Your parcel left today.")
                .setEstimatedCost(new CostEstimate("EUR", 45_600L, "UTILITY DE"));
    }

    private static DeliveryStatus.Builder status(String providerMessageId, DeliveryState state, Instant at) {
        return DeliveryStatus.newBuilder().setTenantId("demo").setConversationId(CONVERSATION)
                .setPhoneNumberId("100000000000001").setChannel(Channel.WHATSAPP)
                .setProviderMessageId(providerMessageId).setStatus(state).setOccurredAt(at)
                .setReceivedAt(at.plusSeconds(1));
    }
}
