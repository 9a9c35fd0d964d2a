package com.answerline.sandbox.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Direct Send's parameter rules: the category, and the time to live of 30 s to 12 h on a Direct Send only. */
class DirectSendTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void shouldReadAUtilityTextWithItsTimeToLive() {
        assertThat(DirectSend.of(json("{\"category\":\"utility\",\"ttl\":3600}"), "text"))
                .contains(new DirectSend(3600));
        assertThat(DirectSend.of(json("{\"category\":\"utility\"}"), "text")).contains(new DirectSend(null));
        assertThat(DirectSend.of(json("{\"category\":\"UTILITY\",\"ttl\":\"43200\"}"), "text"))
                .contains(new DirectSend(43_200));
        assertThat(DirectSend.of(json("{\"category\":\"utility\",\"ttl\":30}"), "text")).contains(new DirectSend(30));
    }

    @Test
    void shouldTreatAMessageWithoutACategoryAsAnOrdinaryOne() {
        JsonNode ordinary = json("{\"type\":\"text\",\"category\":null}");

        assertThat(DirectSend.requested(ordinary)).isFalse();
        assertThat(DirectSend.of(ordinary, "text")).isEmpty();
    }

    @Test
    void shouldRefuseATimeToLiveOutOfRangeOrNotInWholeSecondsWith100() {
        for (String ttl : new String[] {"29", "43201", "0", "-30", "60.5", "\"soon\"", "true", "99999999999999999999"}) {
            assertThat(refusal("{\"category\":\"utility\",\"ttl\":" + ttl + "}", "text").details())
                    .as("ttl " + ttl).contains("ttl");
        }
    }

    @Test
    void shouldRefuseATimeToLiveWithoutACategoryWith100() {
        assertThat(refusal("{\"ttl\":60}", "text").details()).contains("ttl").contains("category");
    }

    @Test
    void shouldRefuseAnotherCategoryOrACategoryOnATemplateWith100() {
        assertThat(DirectSend.requested(json("{\"category\":\"marketing\"}"))).isTrue();
        assertThat(refusal("{\"category\":\"marketing\"}", "text").details()).contains("category");
        assertThat(refusal("{\"category\":7}", "text").details()).contains("category");
        assertThat(refusal("{\"category\":\"utility\"}", "template").details()).contains("template");
    }

    private static CloudApiError refusal(String request, String type) {
        CloudApiException refused = catchThrowableOfType(CloudApiException.class,
                () -> DirectSend.of(json(request), type));
        assertThat(refused).as(request).isNotNull();
        assertThat(refused.error().code()).isEqualTo(100);
        assertThat(refused.error().httpStatus()).isEqualTo(400);
        return refused.error();
    }

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }
}
