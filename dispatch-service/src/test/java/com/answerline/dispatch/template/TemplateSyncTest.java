package com.answerline.dispatch.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.answerline.dispatch.provider.whatsapp.WhatsAppClient;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.dispatch.support.RecordingHttpServer.Response;

/** The sync against a real HTTP server on 127.0.0.1 serving the Graph API's paged template list. */
class TemplateSyncTest {

    static final String WABA = "200000000000001";
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String FIRST_PAGE = """
            {"data":[{"name":"customer_care_reopen","parameter_format":"POSITIONAL","components":[{"type":"HEADER","text":"Hi"},
              {"type":"BODY","text":"Dear {{1}}, regards {{2}}","example":{"body_text":[["Ada","Grace"]]}}],
              "language":"en_US","status":"APPROVED","category":"UTILITY","id":"1"}],
             "paging":{"cursors":{"before":"MAZDZD","after":"PAGE2"},
                       "next":"https://graph.facebook.com/v23.0/200000000000001/message_templates?after=PAGE2"}}
            """;
    static final String SECOND_PAGE = """
            {"data":[{"name":"summer_sale","components":[{"type":"BODY","text":"Sale {{1}}"}],
              "language":"de","status":"PAUSED","category":"MARKETING","id":"2"}],
             "paging":{"cursors":{"before":"PAGE2","after":"END"}}}
            """;

    RecordingHttpServer provider;
    final TemplateCatalogue catalogue = new TemplateCatalogue();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TemplateSync sync;

    @BeforeEach
    void start() throws Exception {
        provider = new RecordingHttpServer();
        TemplateListClient client = new TemplateListClient(WhatsAppClient.cloudApi(WebClient.builder(),
                new ReactorClientHttpConnector(), provider.baseUrl(), "test-token"), "v23.0", 1);
        sync = new TemplateSync(client, catalogue, Set.of(WABA), Duration.ofMinutes(5), Duration.ofSeconds(5),
                Clock.fixed(NOW, ZoneOffset.UTC), registry);
        catalogue.seed(WABA, List.of(new CatalogueTemplate("customer_care_reopen", "en_US", null, "APPROVED", "seeded")));
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    @Test
    void shouldReadEveryPageAndReplaceTheAccountsTemplates() {
        provider.answer(request -> request.query() != null && request.query().contains("after=PAGE2")
                ? new Response(200, SECOND_PAGE) : new Response(200, FIRST_PAGE));

        sync.syncAll().block(Duration.ofSeconds(10));

        assertThat(catalogue.templatesOf(WABA)).containsExactly(
                new CatalogueTemplate("customer_care_reopen", "en_US", "UTILITY", "APPROVED", "Dear {{1}}, regards {{2}}"),
                new CatalogueTemplate("summer_sale", "de", "MARKETING", "PAUSED", "Sale {{1}}"));
        assertThat(provider.requests()).hasSize(2).allSatisfy(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.path()).isEqualTo("/v23.0/" + WABA + "/message_templates");
            assertThat(request.header("Authorization")).isEqualTo("Bearer test-token");
            assertThat(request.query()).contains("limit=1");
        });
        assertThat(catalogue.accounts().get(WABA).lastSyncedAt()).isEqualTo(NOW);
        assertThat(registry.counter(TemplateSync.SYNCS, "outcome", "success").count()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheLastGoodTemplatesAndCountTheFailureWhenTheProviderFails() {
        provider.answer(request -> new Response(500, "{\"error\":{\"code\":1,\"message\":\"boom\"}}"));

        sync.syncAll().block(Duration.ofSeconds(10));

        assertThat(catalogue.templatesOf(WABA)).extracting(CatalogueTemplate::body).containsExactly("seeded");
        assertThat(catalogue.accounts().get(WABA).consecutiveFailures()).isEqualTo(1);
        assertThat(registry.counter(TemplateSync.SYNCS, "outcome", "failure").count()).isEqualTo(1);
    }

    @Test
    void shouldTreatAnAnswerWithoutDataAsAFailureNotAsAnEmptyCatalogue() {
        provider.answer(request -> new Response(200, "{\"messaging_product\":\"whatsapp\"}"));

        sync.syncAll().block(Duration.ofSeconds(10));

        assertThat(catalogue.templatesOf(WABA)).hasSize(1);
        assertThat(registry.counter(TemplateSync.SYNCS, "outcome", "failure").count()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheLastGoodTemplatesWhenTheSecondPageFails() {
        provider.answer(request -> request.query() != null && request.query().contains("after=PAGE2")
                ? new Response(503, "{}") : new Response(200, FIRST_PAGE));

        sync.syncAll().block(Duration.ofSeconds(10));

        assertThat(catalogue.templatesOf(WABA)).extracting(CatalogueTemplate::body).containsExactly("seeded");
    }

    @Test
    void shouldSyncAtStartWhenRunAsALifecycle() {
        provider.answer(request -> request.query() != null && request.query().contains("after=PAGE2")
                ? new Response(200, SECOND_PAGE) : new Response(200, FIRST_PAGE));

        sync.start();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> catalogue.templatesOf(WABA).size() == 2);
        } finally {
            sync.stop();
        }
        assertThat(sync.isRunning()).isFalse();
    }
}
