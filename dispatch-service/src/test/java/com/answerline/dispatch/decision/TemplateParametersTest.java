package com.answerline.dispatch.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The template parameter rule against what WhatsApp refuses: 132018 "Param text cannot have new-line/tab characters
 * or more than 4 consecutive spaces", 131008 for an empty parameter, and the 1,024-character limit of a body
 * parameter in a template with other components.
 */
class TemplateParametersTest {

    /** WhatsApp's refusal, as the sandbox applies it: a new-line or tab, or five spaces in a row. */
    private static final Pattern REFUSED_BY_WHATSAPP = Pattern.compile("[\\n\\t]| {5}");

    @ParameterizedTest
    @ValueSource(strings = {"Ada\nLovelace", "Ada\r\nLovelace", "Ada\tLovelace", "Ada     Lovelace",
            "Ada          Lovelace", "Ada\u000BLovelace", "Ada\fLovelace", "Ada\u2028Lovelace", "Ada\u2029Lovelace",
            "Ada\u0085Lovelace", "Ada \n\t \n  Lovelace", "\n\tAda Lovelace\t\n"})
    void shouldTurnEveryValueWhatsAppRefusesIntoOneItAccepts(String value) {
        // When
        String normalised = TemplateParameters.normalise(value);
        // Then no new-line, tab or run of more than four spaces is left, and the words stay apart
        assertThat(REFUSED_BY_WHATSAPP.matcher(normalised).find()).isFalse();
        assertThat(normalised).doesNotContain("\r", "\u000B", "\f", "\u2028", "\u2029", "\u0085")
                .startsWith("Ada").endsWith("Lovelace").contains(" ");
    }

    @Test
    void shouldKeepUpToFourSpacesAndTextWhatsAppAccepts() {
        assertThat(TemplateParameters.normalise("Ada    Lovelace")).isEqualTo("Ada    Lovelace");
        assertThat(TemplateParameters.normalise("Ada Lovelace")).isEqualTo("Ada Lovelace");
        assertThat(TemplateParameters.normalise("Zoë 👍 {{2}}")).isEqualTo("Zoë 👍 {{2}}");
    }

    @Test
    void shouldCollapseARunOfMoreThanFourSpacesToOne() {
        assertThat(TemplateParameters.normalise("Ada     Lovelace")).isEqualTo("Ada Lovelace");
        assertThat(TemplateParameters.normalise("Ada\n\n\n\n\nLovelace")).isEqualTo("Ada Lovelace");
        assertThat(TemplateParameters.normalise("Ada\tLovelace")).isEqualTo("Ada Lovelace");
    }

    @Test
    void shouldNormaliseEveryParameterOfATemplate() {
        TemplateParameters.Normalised normalised = TemplateParameters.normalise(
                new TemplateMessage("order_update", "en_US", List.of("Ada\nLovelace", "4711\t ")));

        assertThat(normalised.valid()).isTrue();
        assertThat(normalised.message().parameters()).containsExactly("Ada Lovelace", "4711");
        assertThat(normalised.message().name()).isEqualTo("order_update");
    }

    @Test
    void shouldNameAParameterThatIsEmptyOnceNormalised() {
        // 131008: an empty parameter text is refused; whitespace alone is empty once normalised
        TemplateParameters.Normalised normalised = TemplateParameters.normalise(
                new TemplateMessage("order_update", "en_US", List.of("Ada", "\n\t    ")));

        assertThat(normalised.valid()).isFalse();
        assertThat(normalised.problem()).isEqualTo("parameter 2 is empty");
    }

    @Test
    void shouldNameAParameterLongerThanWhatsAppsLimit() {
        String limit = "x".repeat(TemplateParameters.MAX_LENGTH);

        assertThat(TemplateParameters.normalise(new TemplateMessage("t", "en_US", List.of(limit))).valid()).isTrue();
        assertThat(TemplateParameters.normalise(new TemplateMessage("t", "en_US", List.of(limit + "x"))).problem())
                .isEqualTo("parameter 1 is longer than 1024 characters");
    }

    @Test
    void shouldCutANameFromDataToTheLimitAndFallBackWhenNothingIsLeft() {
        assertThat(TemplateParameters.name("Ada\n\tLovelace", "customer")).isEqualTo("Ada Lovelace");
        assertThat(TemplateParameters.name(" \n\t ", "customer")).isEqualTo("customer");
        assertThat(TemplateParameters.name(null, "customer")).isEqualTo("customer");
        assertThat(TemplateParameters.name("y".repeat(5000), "customer")).hasSize(TemplateParameters.MAX_LENGTH);
        // never half of a surrogate pair: the emoji straddling the limit is left out whole
        String straddling = "y".repeat(TemplateParameters.MAX_LENGTH - 1) + "👍";
        assertThat(TemplateParameters.name(straddling, "customer")).isEqualTo("y".repeat(TemplateParameters.MAX_LENGTH - 1));
    }
}
