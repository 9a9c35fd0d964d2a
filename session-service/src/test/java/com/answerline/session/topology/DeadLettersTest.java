package com.answerline.session.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import com.answerline.schemas.topic.Topics;

class DeadLettersTest {

    @Test
    void shouldSendEachInputToItsCatalogueTwin() {
        assertThat(DeadLetters.deadLetterTopicOf("inbound-messages")).isEqualTo(Topics.INBOUND_MESSAGES.deadLetter());
        assertThat(DeadLetters.deadLetterTopicOf("dispatch-outcomes")).isEqualTo("dispatch-outcomes-dlt");
    }

    @Test
    void shouldRefuseATopicOutsideTheCatalogue() {
        assertThatThrownBy(() -> DeadLetters.deadLetterTopicOf("inbound-mesages"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
