package com.answerline.platform.observation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What is left of a customer in a span: the templates, never the number or the BSUID (issue 17). */
class TraceRedactionTest {

    @Test
    void shouldTemplateTheConversationIdInAServerPathAndDropTheQuery() {
        assertThat(TraceRedaction.redact("http.url",
                "/api/v1/conversations/100000000000001:15551230001/replies?text=Call%20me%20on%20+15551230001"))
                .isEqualTo("/api/v1/conversations/{conversationId}/replies");
        assertThat(TraceRedaction.redact("http.url", "/api/v1/conversations/100000000000001%3AUS.13491208655302741918"))
                .isEqualTo("/api/v1/conversations/{conversationId}");
    }

    @Test
    void shouldTemplateTheConversationIdInAClientUrlAndKeepTheHostAndPort() {
        assertThat(TraceRedaction.redact("http.url",
                "http://127.0.0.1:8082/api/v1/conversations/100000000000001:15551230001/messages?limit=20"))
                .isEqualTo("http://127.0.0.1:8082/api/v1/conversations/{conversationId}/messages");
    }

    @Test
    void shouldTemplateANumberAsAPathSegmentAndAnE164NumberAnywhere() {
        assertThat(TraceRedaction.redact("uri", "/sandbox/phones/15551230001")).isEqualTo("/sandbox/phones/{number}");
        assertThat(TraceRedaction.redact("url.path", "/sandbox/phones/+15551230001/messages"))
                .isEqualTo("/sandbox/phones/{number}/messages");
        assertThat(TraceRedaction.redact("error", "no route to +15551230001")).isEqualTo("no route to {number}");
    }

    @Test
    void shouldTemplateABsuidAndAConversationIdInAnyAttribute() {
        assertThat(TraceRedaction.redact("messaging.kafka.message.key", "100000000000001:15551230001"))
                .isEqualTo("{conversationId}");
        assertThat(TraceRedaction.redact("customer", "US.13491208655302741918")).isEqualTo("{bsuid}");
        assertThat(TraceRedaction.redact("customer", "US.ENT.1349120865")).isEqualTo("{bsuid}");
    }

    @Test
    void shouldTemplateASpanNameThatCarriesAPath() {
        assertThat(TraceRedaction.redactName("http get /api/v1/conversations/100000000000001:15551230001"))
                .isEqualTo("http get /api/v1/conversations/{conversationId}");
        assertThat(TraceRedaction.redactName("http get /sandbox/phones/15551230001 x"))
                .isEqualTo("http get /sandbox/phones/{number} x");
    }

    @Test
    void shouldTemplateEveryLongNumberInAnExceptionsTextButNotTakeItForAUrl() {
        assertThat(TraceRedaction.redact("exception.stacktrace",
                "java.lang.IllegalStateException: no route for 'http://127.0.0.1:8083/x?from=15551230001' (attempt 2)\n"
                        + "\tat com.answerline.Foo.bar(Foo.java:123)"))
                .isEqualTo("java.lang.IllegalStateException: no route for 'http://127.0.0.1:8083/x?from={number}' (attempt 2)\n"
                        + "\tat com.answerline.Foo.bar(Foo.java:123)");
    }

    @Test
    void shouldKeepWhatSaysNothingAboutACustomer() {
        assertThat(TraceRedaction.redact("uri", "/api/v1/conversations/{conversationId}/replies"))
                .isEqualTo("/api/v1/conversations/{conversationId}/replies");
        assertThat(TraceRedaction.redact("messaging.destination.name", "reply-commands")).isEqualTo("reply-commands");
        assertThat(TraceRedaction.redact("messaging.kafka.message.offset", "123456789")).isEqualTo("123456789");
        assertThat(TraceRedaction.redact("server.address", "127.0.0.1:8082")).isEqualTo("127.0.0.1:8082");
        assertThat(TraceRedaction.redact("exception", "io.micrometer.SomeException")).isEqualTo("io.micrometer.SomeException");
        assertThat(TraceRedaction.redact("http.url", "https://graph.facebook.com/v23.0/100000000000001/messages"))
                .isEqualTo("https://graph.facebook.com/v23.0/{number}/messages");
        assertThat(TraceRedaction.redactName("send-requests receive")).isEqualTo("send-requests receive");
        assertThat(TraceRedaction.redact("status", null)).isNull();
    }
}
