package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockJwt;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.JwtMutator;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.FluxExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

import com.answerline.ingest.config.CloudApiProperties;
import com.answerline.ingest.config.MediaClientConfig;
import com.answerline.ingest.config.MediaProperties;
import com.answerline.ingest.config.SecurityConfig;
import com.answerline.ingest.config.ServiceClientsConfig;
import com.answerline.ingest.config.ServicesProperties;

/**
 * {@code GET /api/v1/conversations/{id}/media/{mediaId}} over real HTTP: the production clients (session-service's
 * media lookup, the Cloud API's retrieval and download; WebClient, timeouts) against a real server on 127.0.0.1 that
 * answers both contracts ({@link FakeCloudApi}), including their failures. Limit 8 MB, read timeout 2 s (not less: the
 * machine running the tests may be busy).
 */
@WebFluxTest(controllers = MediaController.class, properties = {
        "answerline.ingest.media.max-size=8MB",
        "answerline.ingest.whatsapp.cloud-api.token=" + FakeCloudApi.TOKEN,
        "answerline.ingest.whatsapp.cloud-api.read-timeout=2s"})
@Import({SecurityConfig.class, GatewayFixtures.class, ServiceClientsConfig.class, MediaClientConfig.class})
@ImportAutoConfiguration(WebClientAutoConfiguration.class)
@EnableConfigurationProperties({ServicesProperties.class, CloudApiProperties.class, MediaProperties.class})
class MediaReadsIT {

    static final FakeCloudApi PROVIDER = new FakeCloudApi();
    static final String DEMO = GatewayFixtures.DEMO_CONVERSATION;
    static final long LIMIT = 8L * 1024 * 1024;
    static final String MEDIA = "/api/v1/conversations/{id}/media/{mediaId}";

    @Autowired
    WebTestClient client;

    @MockitoBean
    ReactiveJwtDecoder jwtDecoder;

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        registry.add("answerline.ingest.services.session-url", PROVIDER::url);
        registry.add("answerline.ingest.services.dispatch-url", PROVIDER::url);
        registry.add("answerline.ingest.whatsapp.cloud-api.base-url", PROVIDER::url);
    }

    @AfterAll
    static void stop() {
        PROVIDER.close();
    }

    @BeforeEach
    void reset() {
        PROVIDER.reset();
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    private static JwtMutator agentOf(String tenant) {
        return mockJwt().jwt(jwt -> jwt.tokenValue(GatewayFixtures.tokenValue(tenant)).subject("agent-7")
                        .claim("tenant_id", tenant))
                .authorities(new SimpleGrantedAuthority("ROLE_agent"));
    }

    @Test
    void shouldStreamAnImageInlineWithTheProvidersTypeAndNoCaching() {
        // Given a photo of demo's conversation
        PROVIDER.knows("demo", DEMO, "1001", "image/jpeg", null);
        PROVIDER.files.put("1001", FakeCloudApi.Served.file("image/jpeg", 3000));

        // When demo's agent asks for it
        byte[] body = client.mutateWith(agentOf("demo")).get().uri(MEDIA, DEMO, "1001").exchange()
                // Then the bytes come under the provider's type, inline, not to be cached or sniffed
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.IMAGE_JPEG)
                .expectHeader().contentLength(3000)
                .expectHeader().valueEquals(HttpHeaders.CONTENT_DISPOSITION, "inline")
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store, private")
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Content-Security-Policy", "sandbox")
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(body).hasSize(3000);
        assertThat(body[2999]).isEqualTo(FakeCloudApi.byteAt(2999));
        // And the provider was asked with the business token, for the conversation's business number, and the
        // download URL was fetched with the same token
        assertThat(PROVIDER.retrievals).singleElement().isEqualTo("/v23.0/1001?phone_number_id=100000000000001");
        assertThat(PROVIDER.downloads).hasSize(1);
        assertThat(PROVIDER.authorizations).containsOnly("Bearer " + FakeCloudApi.TOKEN).hasSize(2);
    }

    @Test
    void shouldOfferADocumentAsADownloadWithItsFileName() {
        PROVIDER.knows("demo", DEMO, "1002", "application/pdf", "Rechnung März.pdf");
        PROVIDER.files.put("1002", FakeCloudApi.Served.file("application/pdf", 1200));

        String disposition = client.mutateWith(agentOf("demo")).get().uri(MEDIA, DEMO, "1002").exchange()
                .expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_PDF)
                .returnResult(byte[].class).getResponseHeaders().getFirst(HttpHeaders.CONTENT_DISPOSITION);
        assertThat(disposition).startsWith("attachment;").contains("filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf");
    }

    @Test
    void shouldStreamALargeFileAsTheProviderSendsItNotOnceItHasItAll() throws Exception {
        // Given a 6 MB video whose download sends its first 64 KB, then waits until the test lets it go on
        Sinks.Empty<Void> hold = Sinks.empty();
        long size = 6L * 1024 * 1024;
        PROVIDER.knows("demo", DEMO, "1003", "video/mp4", null);
        PROVIDER.files.put("1003", new FakeCloudApi.Served("video/mp4", size, size, true, -1, hold, "127.0.0.1"));

        // When the agent reads it
        FluxExchangeResult<DataBuffer> result = client.mutateWith(agentOf("demo")).get().uri(MEDIA, DEMO, "1003")
                .exchange().expectStatus().isOk().expectHeader().contentLength(size).returnResult(DataBuffer.class);
        MessageDigest received = MessageDigest.getInstance("SHA-256");
        AtomicLong count = new AtomicLong();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<Boolean> done = new CopyOnWriteArrayList<>();
        Disposable reading = result.getResponseBody().subscribe(buffer -> {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            DataBufferUtils.release(buffer);
            received.update(bytes);
            count.addAndGet(bytes.length);
        }, failed::set, () -> done.add(true));
        try {
            // Then the first bytes reach the agent while the provider still holds the rest: nothing waits for the whole
            // file (the codecs' in-memory limit, 256 KB, would refuse to hold it anyway)
            await().atMost(Duration.ofSeconds(10)).until(() -> count.get() >= FakeCloudApi.CHUNK);
            assertThat(done).isEmpty();
            // And once the provider goes on, every byte arrives, in order
            hold.tryEmitEmpty();
            await().atMost(Duration.ofSeconds(30)).until(() -> !done.isEmpty() || failed.get() != null);
            assertThat(failed.get()).isNull();
            assertThat(count.get()).isEqualTo(size);
            MessageDigest expected = MessageDigest.getInstance("SHA-256");
            for (long i = 0; i < size; i++) {
                expected.update(FakeCloudApi.byteAt(i));
            }
            assertThat(received.digest()).isEqualTo(expected.digest());
        } finally {
            reading.dispose();
        }
    }

    @Test
    void shouldAnswer404WhenTheMediaIsNotOneOfTheConversationsOrTheConversationAnotherTenants() {
        PROVIDER.knows("demo", DEMO, "1004", "image/png", null);
        PROVIDER.files.put("1004", FakeCloudApi.Served.file("image/png", 10));

        // Another media id of demo's conversation, demo's media asked for by tenant other, another conversation of demo
        String unknown = problem(agentOf("demo"), DEMO, "9999", 404);
        String foreign = problem(agentOf("other"), DEMO, "1004", 404);
        String elsewhere = problem(agentOf("demo"), "100000000000001:31699999999", "1004", 404);
        assertThat(unknown).contains("\"detail\":\"no such media in this conversation\"");
        assertThat(foreign).contains("\"detail\":\"no such conversation\"");
        assertThat(elsewhere).contains("\"detail\":\"no such media in this conversation\"");
        // And the provider was never asked
        assertThat(PROVIDER.retrievals).isEmpty();
    }

    @Test
    void shouldAnswer400NamingTheFieldForAMalformedMediaIdOrConversation() {
        assertThat(problem(agentOf("demo"), DEMO, "a b", 400)).contains("\"field\":\"mediaId\"");
        assertThat(problem(agentOf("demo"), DEMO, "médià", 400)).contains("\"field\":\"mediaId\"");
        assertThat(problem(agentOf("demo"), DEMO, "x".repeat(129), 400)).contains("\"field\":\"mediaId\"");
        assertThat(problem(agentOf("demo"), "not-a-conversation", "1001", 400)).contains("\"field\":\"conversationId\"");
    }

    @Test
    void shouldAnswer502WhenTheProviderFailsOrDoesNotAnswerInTime() {
        PROVIDER.knows("demo", DEMO, "1005", "image/png", null);
        PROVIDER.files.put("1005", FakeCloudApi.Served.file("image/png", 10));

        // The retrieval fails (5xx with Meta's error), the download fails, the retrieval hangs past the read timeout
        PROVIDER.retrievalStatus = 500;
        assertThat(problem(agentOf("demo"), DEMO, "1005", 502))
                .contains("\"type\":\"urn:answerline:problem:media-unavailable\"").contains("answered 500, code 131000");
        PROVIDER.retrievalStatus = 0;
        PROVIDER.downloadStatus = 404;
        assertThat(problem(agentOf("demo"), DEMO, "1005", 502)).contains("media download answered 404");
        PROVIDER.downloadStatus = 0;
        PROVIDER.retrievalDelay = Duration.ofSeconds(8);
        long started = System.nanoTime();
        assertThat(problem(agentOf("demo"), DEMO, "1005", 502)).contains("media-unavailable");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void shouldNotSendTheTokenToADownloadUrlOnAnotherHost() {
        // Given a retrieval that points the download at a host that is not the Cloud API's nor a media host
        PROVIDER.knows("demo", DEMO, "1006", "image/png", null);
        PROVIDER.files.put("1006", new FakeCloudApi.Served("image/png", 10, 10L, true, -1, null, "localhost"));

        assertThat(problem(agentOf("demo"), DEMO, "1006", 502)).contains("not a configured media host");
        assertThat(PROVIDER.downloads).isEmpty();
    }

    @Test
    void shouldAnswer502ForAFileAboveTheLimitBeforeDownloadingItWhenItsSizeIsAnnounced() {
        // The retrieval announces 9 MB: refused without a download
        PROVIDER.knows("demo", DEMO, "1007", "video/mp4", null);
        PROVIDER.files.put("1007", FakeCloudApi.Served.file("video/mp4", LIMIT + 1024 * 1024));
        assertThat(problem(agentOf("demo"), DEMO, "1007", 502)).contains("\"type\":\"urn:answerline:problem:media-too-large\"")
                .contains("above the gateway's limit of " + LIMIT + " bytes");
        assertThat(PROVIDER.downloads).isEmpty();

        // The retrieval does not say, the download's Content-Length does: refused before a byte is sent
        PROVIDER.files.put("1007", new FakeCloudApi.Served("video/mp4", LIMIT + 1, null, true, -1, null, "127.0.0.1"));
        assertThat(problem(agentOf("demo"), DEMO, "1007", 502)).contains("media-too-large");
    }

    @Test
    void shouldCutOffAFileThatPassesTheLimitWithoutHavingSaidItsSize() {
        // Given a chunked download (no length anywhere) of 9 MB
        PROVIDER.knows("demo", DEMO, "1008", "video/mp4", null);
        PROVIDER.files.put("1008", new FakeCloudApi.Served("video/mp4", LIMIT + 1024 * 1024, null, false, -1, null, "127.0.0.1"));

        // When the agent reads it, then the answer breaks off at the limit: never a complete-looking 9 MB file
        AtomicLong count = new AtomicLong();
        Throwable error = readAll("1008", count);
        assertThat(error).isNotNull();
        assertThat(count.get()).isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void shouldBreakOffTheAnswerWhenTheProviderBreaksOffTheDownload() {
        // Given a download that stops after 1 MB of a 3 MB file it announced
        PROVIDER.knows("demo", DEMO, "1009", "video/mp4", null);
        PROVIDER.files.put("1009", new FakeCloudApi.Served("video/mp4", 3L * 1024 * 1024, null, true, 1024 * 1024, null, "127.0.0.1"));

        AtomicLong count = new AtomicLong();
        assertThat(readAll("1009", count)).isNotNull();
        assertThat(count.get()).isLessThan(3L * 1024 * 1024);
    }

    @Test
    void shouldAnswer503WhileSessionServiceCannotBeAsked() {
        PROVIDER.knows("demo", DEMO, "1010", "image/png", null);
        PROVIDER.sessionDown = true;
        client.mutateWith(agentOf("demo")).get().uri(MEDIA, DEMO, "1010").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "7")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(PROVIDER.retrievals).isEmpty();
    }

    private String problem(JwtMutator agent, String conversation, String mediaId, int status) {
        return client.mutateWith(agent).get().uri(MEDIA, conversation, mediaId).accept(MediaType.ALL).exchange()
                .expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** Reads the whole answer, counting bytes; the error that ended it, or null when it completed. */
    private Throwable readAll(String mediaId, AtomicLong count) {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        List<Boolean> done = new CopyOnWriteArrayList<>();
        Disposable reading = client.mutateWith(agentOf("demo")).get().uri(MEDIA, DEMO, mediaId).exchange()
                .expectStatus().isOk().returnResult(DataBuffer.class).getResponseBody()
                .subscribe(buffer -> {
                    count.addAndGet(buffer.readableByteCount());
                    DataBufferUtils.release(buffer);
                }, failed::set, () -> done.add(true));
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> !done.isEmpty() || failed.get() != null);
            return failed.get();
        } finally {
            reading.dispose();
        }
    }
}
