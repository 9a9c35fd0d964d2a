package com.answerline.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

class ReplyPreviewTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void shouldPassTheDirectSendOptionsMarkReasonAndNoteThroughToTheAgent() {
        // Given dispatch's preview with the Direct Send option not allowed for an unmarked draft
        String fromDispatch = """
                {"channel":"SMS","reason":"WINDOW_CLOSED_SMS_FALLBACK","outcome":"SEND","windowOpen":false,
                 "options":[{"kind":"WHATSAPP_DIRECT_SEND","channel":"WHATSAPP_DIRECT_SEND","allowed":false,
                   "why":"NOT_UTILITY","fallback":"DIRECT_SEND","category":"UTILITY",
                   "whyDetail":"DIRECT_SEND unavailable: not utility",
                   "note":"Utility: about the customer's own order, booking or account; no promotion.",
                   "somethingNewer":true}]}""";

        // When the gateway reads it and writes it for the agent
        ReplyPreview preview = json.readValue(fromDispatch, ReplyPreview.class);
        String toAgent = json.writeValueAsString(preview);

        // Then the mark the option needs, the decision's sentence and the note reach the agent; unknown fields do not
        ReplyPreview.Option directSend = preview.options().get(0);
        assertThat(directSend.category()).isEqualTo("UTILITY");
        assertThat(directSend.whyDetail()).isEqualTo("DIRECT_SEND unavailable: not utility");
        assertThat(directSend.note()).startsWith("Utility: about the customer's own order");
        assertThat(toAgent).contains("\"note\":\"Utility:").contains("\"whyDetail\":").doesNotContain("somethingNewer");
    }
}
