package com.answerline.dispatch.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TemplateMessageTest {

    @Test
    void shouldFillEveryPlaceholderWithItsParameter() {
        TemplateMessage message = new TemplateMessage("t", "en_US", List.of("Ada", "Grace"));

        assertThat(message.render("Dear {{1}}, regards {{2}}. Again: {{1}}")).isEqualTo("Dear Ada, regards Grace. Again: Ada");
    }

    @Test
    void shouldShowParametersAsTypedEvenWhenTheyLookLikePlaceholdersOrReplacementSyntax() {
        TemplateMessage message = new TemplateMessage("t", "en_US", List.of("{{2}}", "$1 \\o/"));

        assertThat(message.render("A {{1}} B {{2}}")).isEqualTo("A {{2}} B $1 \\o/");
    }

    @Test
    void shouldCountDistinctPlaceholders() {
        assertThat(TemplateMessage.placeholderCount("Dear {{1}}, regards {{2}}, {{1}}")).isEqualTo(2);
        assertThat(TemplateMessage.placeholderCount("Hello World!")).isZero();
    }
}
