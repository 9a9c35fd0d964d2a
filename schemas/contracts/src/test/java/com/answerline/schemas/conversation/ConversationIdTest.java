package com.answerline.schemas.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConversationIdTest {

    @Test
    void shouldKeyByPhoneDigitsWhenTheFirstContactCarriesThem() {
        ConversationId id = ConversationId.of("100000000000001", "15551234567", "US.13491208655302741918");

        assertThat(id).hasToString("100000000000001:15551234567");
        assertThat(id.keyedByPhone()).isTrue();
    }

    @Test
    void shouldKeyByBsuidForAUsernameOnlyCustomer() {
        ConversationId id = ConversationId.of("100000000000001", null, "US.13491208655302741918");

        assertThat(id).hasToString("100000000000001:US.13491208655302741918");
        assertThat(id.keyedByPhone()).isFalse();
    }

    @Test
    void shouldParseWhatItPrints() {
        ConversationId id = new ConversationId("100000000000002", "US.1");

        assertThat(ConversationId.parse(id.toString())).isEqualTo(id);
    }

    @Test
    void shouldRejectMalformedIds() {
        assertThatThrownBy(() -> ConversationId.parse("100000000000001")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<phone_number_id>:<customer key>");
        assertThatThrownBy(() -> ConversationId.parse("100000000000001:")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("customerKey");
        assertThatThrownBy(() -> ConversationId.parse("abc:15551234567")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("digits");
        assertThatThrownBy(() -> ConversationId.parse("1:2:3")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("':'");
        assertThatThrownBy(() -> ConversationId.of("1", " ", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
