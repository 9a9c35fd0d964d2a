package com.answerline.schemas.send;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.answerline.avro.SendStep;
import com.answerline.schemas.conversation.ConversationId;

class SendReferenceTest {

    static final String CONVERSATION = "100000000000001:US.13491208655302741918";

    @Test
    void shouldWriteTheDocumentedVersionOneFormat() {
        // Given the REPLY send of a command in a BSUID-keyed conversation
        SendReference reference = SendReference.of(CONVERSATION, "cmd-1", SendStep.REPLY).orElseThrow();

        // When it is written, Then it is the documented text, and reads back as itself
        assertThat(reference.encode()).isEqualTo("al1|100000000000001:US.13491208655302741918|cmd-1|REPLY");
        assertThat(SendReference.parse(reference.encode())).contains(reference);
    }

    @Test
    void shouldEscapeTheSeparatorAndThePercentSignInIds() {
        // Given a command id (chosen by an upstream system) with the separator and escapes in it
        SendReference reference = SendReference.of(CONVERSATION, "a|b%7C%c", SendStep.FAILOVER).orElseThrow();

        // Then it survives the round trip unchanged
        assertThat(reference.encode()).isEqualTo("al1|100000000000001:US.13491208655302741918|a%7Cb%257C%25c|FAILOVER");
        assertThat(SendReference.parse(reference.encode())).get()
                .satisfies(read -> assertThat(read.commandId()).isEqualTo("a|b%7C%c"));
    }

    @Test
    void shouldWriteNoReferenceThatWouldExceedWhatsAppsLimit() {
        assertThat(SendReference.of(CONVERSATION, "c".repeat(SendReference.MAX_LENGTH), SendStep.REPLY)).isEmpty();
        assertThat(SendReference.of("not-a-conversation", "cmd-1", SendStep.REPLY)).isEmpty();
        assertThat(SendReference.of(CONVERSATION, " ", SendStep.REPLY)).isEmpty();
    }

    @Test
    void shouldIgnoreForeignMalformedAndLaterVersionsWithoutFailing() {
        assertThat(SendReference.parse(null)).isEmpty();
        assertThat(SendReference.parse("")).isEmpty();
        assertThat(SendReference.parse("order-4711")).as("another system's callback data").isEmpty();
        assertThat(SendReference.parse("al2|100000000000001:1555|cmd-1|REPLY")).as("a later version").isEmpty();
        assertThat(SendReference.parse("al1|100000000000001:1555|cmd-1")).as("a field short").isEmpty();
        assertThat(SendReference.parse("al1|100000000000001:1555|cmd-1|REPLY|x")).as("a field more").isEmpty();
        assertThat(SendReference.parse("al1|100000000000001:1555|cmd-1|RESEND")).as("an unknown step").isEmpty();
        assertThat(SendReference.parse("al1|abc:1555|cmd-1|REPLY")).as("not a conversation id").isEmpty();
        assertThat(SendReference.parse("al1|100000000000001:1555||REPLY")).as("no command id").isEmpty();
        assertThat(SendReference.parse("al1|100000000000001:1555|cmd%2|REPLY")).as("a broken escape").isEmpty();
        assertThat(SendReference.parse("al1|100000000000001:1555|" + "c".repeat(600) + "|REPLY")).as("too long").isEmpty();
    }

    @Test
    void shouldKeepTheConversationIdWhole() {
        SendReference reference = SendReference.parse("al1|100000000000001:15551230001|cmd-9|HELD_ANSWER").orElseThrow();

        assertThat(reference.conversationId()).isEqualTo(new ConversationId("100000000000001", "15551230001"));
        assertThat(reference.step()).isEqualTo(SendStep.HELD_ANSWER);
    }
}
