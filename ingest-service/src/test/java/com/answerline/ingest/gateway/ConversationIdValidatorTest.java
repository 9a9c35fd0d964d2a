package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.schemas.conversation.ConversationId;

class ConversationIdValidatorTest {

    private final ConversationIdValidator validator = new ConversationIdValidator();

    @ParameterizedTest
    @ValueSource(strings = {
            "100000000000001:31612345678",      // Dutch mobile
            "100000000000001:4915112345678",    // German mobile
            "100000000000001:15551230001",      // +1 555: WhatsApp's test numbers and the local stack's customers
            "100000000000001:US.13491208655302741918",
            "100000000000001:US.ENT.1122334455",
            "100000000000001:NL.abcDEF123"})
    void shouldAcceptE164NumbersAndBsuids(String value) {
        // When
        ConversationId id = validator.validate(value);
        // Then
        assertThat(id.toString()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "100000000000001:0031612345678",    // trunk prefix, not E.164
            "100000000000001:999612345678",     // no such country code
            "100000000000001:441234",           // too short for the UK (local only)
            "100000000000001:31612",            // too short for the Netherlands
            "100000000000001:3161234567890123", // 16 digits
            "100000000000001:1555123000",       // one digit short for +1
            "100000000000001:us.13491208655302741918",
            "100000000000001:USA.1349",
            "100000000000001:US.",
            "100000000000001:US.ENT.",
            "100000000000001:US.1349-1208",
            "100000000000001:+31612345678",
            "not-a-conversation",
            "abc:31612345678"})
    void shouldRefuseAnythingElseNamingConversationId(String value) {
        assertThatThrownBy(() -> validator.validate(value))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("conversationId"));
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 129})
    void shouldAllowBsuidsOfUpTo128Characters(int length) {
        String value = "100000000000001:US." + "7".repeat(length);
        if (length <= 128) {
            assertThat(validator.validate(value).customerKey()).hasSize(length + 3);
        } else {
            assertThatThrownBy(() -> validator.validate(value)).isInstanceOf(InvalidRequestException.class);
        }
    }
}
