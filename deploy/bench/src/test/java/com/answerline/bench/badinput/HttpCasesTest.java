package com.answerline.bench.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.answerline.bench.stack.Endpoints;
import com.answerline.bench.traffic.Json;
import com.answerline.bench.traffic.MetaWebhooks;

/** What the generator asks of the gateway about a reply's {@code category} (issue 19: UTILITY or nothing). */
class HttpCasesTest {

    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";

    @Test
    void shouldSendBadCategoriesInRepliesAndPreviewsExpectingA400NamingCategory() throws Exception {
        // Given the generated cases of a run
        List<HttpCases.Case> cases = new HttpCases(Endpoints.from(Map.of()), 42, 24, "15559998877",
                new HttpCases.Tokens(TOKEN, TOKEN, TOKEN, TOKEN)).all();

        // Then bad categories go to the reply and to the preview, each expecting a 400 problem naming category
        List<HttpCases.Case> bad = cases.stream().filter(c -> c.kind().equals("bad-category")).toList();
        assertThat(bad).extracting(HttpCases.Case::endpoint)
                .contains("POST /api/v1/conversations/{id}/replies", "GET /api/v1/conversations/{id}");
        assertThat(bad).allSatisfy(c -> assertThat(c.expected()).isEqualTo(HttpCases.Expected.badRequest("category")));
        // and none of them is the one good value, however spelled
        for (HttpCases.Case c : bad) {
            String category = c.body() == null
                    ? java.net.URLDecoder.decode(c.uri().substring(c.uri().indexOf("category=") + 9), StandardCharsets.UTF_8)
                    : Json.MAPPER.readTree(c.body()).path("category").asText();
            assertThat(category.trim().toUpperCase(Locale.ROOT)).as(c.uri()).isNotEqualTo("UTILITY");
        }
        assertThat(bad.stream().filter(c -> c.body() != null).count()).isGreaterThan(HttpCases.BAD_CATEGORIES.size());
    }

    @Test
    void shouldSendEveryWrongWebhookSignatureTheClientCanSend() {
        // Given the generated cases of a run
        List<HttpCases.Case> cases = new HttpCases(Endpoints.from(Map.of()), 42, 200, "15559998877",
                new HttpCases.Tokens(TOKEN, TOKEN, TOKEN, TOKEN)).all();

        // Then every wrong signature of the WhatsApp webhook is a legal header value (printable ASCII): the client
        // refuses anything else before sending, and a case never sent proves nothing
        List<String> signatures = cases.stream()
                .filter(c -> c.endpoint().equals("POST /webhooks/whatsapp") && c.kind().equals("wrong-signature"))
                .map(c -> c.headers().getOrDefault(MetaWebhooks.SIGNATURE_HEADER, ""))
                .toList();
        assertThat(signatures).hasSizeGreaterThan(40);
        assertThat(signatures).allSatisfy(signature -> assertThat(signature.chars()).allMatch(ch -> ch >= 0x20 && ch < 0x7F));
    }
}
