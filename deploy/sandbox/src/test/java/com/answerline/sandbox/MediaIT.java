package com.answerline.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.answerline.sandbox.CapturingServer.Captured;
import com.answerline.sandbox.whatsapp.MediaFiles;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;

/**
 * The customer simulator's images and documents, and the Cloud API's media retrieval and download, over real HTTP on
 * 127.0.0.1, with a capturing server standing in for ingest.
 */
class MediaIT extends SandboxOverHttp {

    @Test
    void shouldPostAnImageMessageWhoseMediaTheCloudApiServes() {
        // When a customer sends a photo with a caption
        JsonNode answer = customerWrites("""
                {"phoneNumberId":"%s","image":{"caption":"My parcel arrived broken"}}""".formatted(DEMO));

        // Then ingest got an image message in Meta's shape, naming a media id
        String mediaId = answer.path("mediaId").stringValue();
        assertThat(mediaId).matches("\\d+");
        assertThat(answer.path("ingestStatus").intValue()).isEqualTo(200);
        JsonNode message = onlyMessage(answer.path("wamid").stringValue());
        assertThat(message.path("type").stringValue()).isEqualTo("image");
        JsonNode image = message.path("image");
        assertThat(image.path("id").stringValue()).isEqualTo(mediaId);
        assertThat(image.path("mime_type").stringValue()).isEqualTo("image/png");
        assertThat(image.path("caption").stringValue()).isEqualTo("My parcel arrived broken");
        assertThat(image.has("filename")).isFalse();

        // And the retrieval answers the file's facts and a download URL on this sandbox
        JsonNode retrieved = retrieve(mediaId, null);
        assertThat(retrieved.path("messaging_product").stringValue()).isEqualTo("whatsapp");
        assertThat(retrieved.path("id").stringValue()).isEqualTo(mediaId);
        assertThat(retrieved.path("mime_type").stringValue()).isEqualTo("image/png");
        assertThat(retrieved.path("sha256").stringValue()).isEqualTo(image.path("sha256").stringValue());
        URI url = URI.create(retrieved.path("url").stringValue());
        assertThat(url.getPath()).isEqualTo("/whatsapp_business/attachments/");

        // And the URL answers the bytes under their type, with the same token: a PNG of the announced size and hash
        byte[] bytes = download(url).expectStatus().isOk()
                .expectHeader().contentType(MediaType.IMAGE_PNG)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        assertThat((long) bytes.length).isEqualTo(retrieved.path("file_size").longValue());
        assertThat(MediaFiles.sha256Hex(bytes)).isEqualTo(retrieved.path("sha256").stringValue());
    }

    @Test
    void shouldPostADocumentMessageWithItsFileName() {
        // When a customer sends a document
        JsonNode answer = customerWrites("""
                {"phoneNumberId":"%s","document":{"fileName":"invoice.pdf","caption":"The invoice"}}""".formatted(DEMO));

        // Then the webhook's document names the file, and the download is that PDF
        JsonNode document = onlyMessage(answer.path("wamid").stringValue()).path("document");
        assertThat(document.path("filename").stringValue()).isEqualTo("invoice.pdf");
        assertThat(document.path("mime_type").stringValue()).isEqualTo("application/pdf");
        assertThat(document.path("caption").stringValue()).isEqualTo("The invoice");
        JsonNode retrieved = retrieve(document.path("id").stringValue(), DEMO);
        byte[] bytes = download(URI.create(retrieved.path("url").stringValue())).expectStatus().isOk()
                .expectHeader().contentType(MediaType.APPLICATION_PDF)
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).startsWith("%PDF-").contains("(invoice.pdf) Tj");
    }

    @Test
    void shouldRefuseMediaWithoutTheBusinessTokenAsTheCloudApiDoes() {
        String mediaId = customerWrites("{\"phoneNumberId\":\"%s\",\"image\":{}}".formatted(DEMO)).path("mediaId").stringValue();
        URI url = URI.create(retrieve(mediaId, null).path("url").stringValue());

        // Retrieval and download without the token, or with another: 401, code 190
        client.get().uri("/v23.0/{id}", mediaId).exchange()
                .expectStatus().isUnauthorized().expectBody().jsonPath("$.error.code").isEqualTo(190);
        client.get().uri("/v23.0/{id}", mediaId).header(HttpHeaders.AUTHORIZATION, "Bearer another").exchange()
                .expectStatus().isUnauthorized().expectBody().jsonPath("$.error.code").isEqualTo(190);
        client.get().uri(url).exchange()
                .expectStatus().isUnauthorized().expectBody().jsonPath("$.error.code").isEqualTo(190);
    }

    @Test
    void shouldAnswer404ForAnUnknownMediaIdOrOneOfAnotherNumber() {
        String mediaId = customerWrites("{\"phoneNumberId\":\"%s\",\"image\":{}}".formatted(DEMO)).path("mediaId").stringValue();

        client.get().uri("/v23.0/{id}", "1234567890123456").header(HttpHeaders.AUTHORIZATION, TOKEN).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error.code").isEqualTo(100).jsonPath("$.error.fbtrace_id").exists();
        client.get().uri("/v23.0/{id}?phone_number_id={number}", mediaId, "100000000000002")
                .header(HttpHeaders.AUTHORIZATION, TOKEN).exchange()
                .expectStatus().isNotFound().expectBody().jsonPath("$.error.code").isEqualTo(100);
    }

    @Test
    void shouldRefuseADownloadUrlThatWasTamperedWith() {
        String mediaId = customerWrites("{\"phoneNumberId\":\"%s\",\"image\":{}}".formatted(DEMO)).path("mediaId").stringValue();
        URI url = URI.create(retrieve(mediaId, null).path("url").stringValue());

        // When the expiry is pushed back
        URI later = UriComponentsBuilder.fromUri(url).replaceQueryParam("ext", "99999999999").build(true).toUri();

        // Then 403 in the Cloud API's error shape
        download(later).expectStatus().isForbidden()
                .expectBody().jsonPath("$.error.message").isEqualTo("URL signature mismatch");
    }

    @Test
    void shouldFailTheRetrievalWhileTheMediaFaultIsSwitchedOn() {
        String mediaId = customerWrites("{\"phoneNumberId\":\"%s\",\"image\":{}}".formatted(DEMO)).path("mediaId").stringValue();

        // Given one media retrieval switched to fail, and one to time out
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"media\":{\"mode\":\"HTTP_500\",\"count\":1}}").exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.media.mode").isEqualTo("HTTP_500");

        // When / Then the next retrieval answers 500 (code 131000), the one after it the media again
        client.get().uri("/v23.0/{id}", mediaId).header(HttpHeaders.AUTHORIZATION, TOKEN).exchange()
                .expectStatus().isEqualTo(500).expectBody().jsonPath("$.error.code").isEqualTo(131000);
        retrieve(mediaId, null);

        // And a TIMEOUT holds the retrieval for the fault delay, then answers 504
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"media\":{\"mode\":\"TIMEOUT\",\"count\":1}}").exchange().expectStatus().isOk();
        client.get().uri("/v23.0/{id}", mediaId).header(HttpHeaders.AUTHORIZATION, TOKEN).exchange()
                .expectStatus().isEqualTo(504);
        // And the media switch does not touch message sends (its own switch, whatsapp, is still OK)
        client.get().uri("/sandbox/faults").exchange().expectBody()
                .jsonPath("$.whatsapp.mode").isEqualTo("OK").jsonPath("$.media.mode").isEqualTo("OK");
    }

    @Test
    void shouldRefuseFaultsThatAreNotMediaRetrievalFaults() {
        client.post().uri("/sandbox/faults").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"media\":{\"mode\":\"UNDELIVERABLE\"}}").exchange()
                .expectStatus().isBadRequest().expectBody().jsonPath("$.error").isEqualTo("UNDELIVERABLE is not a fault of media");
    }

    @Test
    void shouldRefuseAMessageWithSeveralContentsOrABadFileName() {
        for (String body : List.of(
                "{\"phoneNumberId\":\"%s\",\"text\":\"hi\",\"image\":{}}",
                "{\"phoneNumberId\":\"%s\"}",
                "{\"phoneNumberId\":\"%s\",\"document\":{\"fileName\":\"../etc/passwd\"}}",
                "{\"phoneNumberId\":\"%s\",\"image\":\"not an object\"}")) {
            client.post().uri("/sandbox/customers/{number}/messages", "+15551234567")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body.formatted(DEMO)).exchange()
                    .expectStatus().isBadRequest().expectBody().jsonPath("$.error").exists();
        }
        assertThat(INGEST.requests()).noneMatch(r -> r.bodyText().contains("\"messages\""));
    }

    // --- helpers ---

    private JsonNode customerWrites(String body) {
        return customerWrites("+15551234567", body);
    }

    private JsonNode retrieve(String mediaId, String phoneNumberId) {
        return client.get().uri(phoneNumberId == null ? "/v23.0/" + mediaId : "/v23.0/" + mediaId + "?phone_number_id=" + phoneNumberId)
                .header(HttpHeaders.AUTHORIZATION, TOKEN).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(JsonNode.class).returnResult().getResponseBody();
    }

    private WebTestClient.ResponseSpec download(URI url) {
        return client.get().uri(url).header(HttpHeaders.AUTHORIZATION, TOKEN).exchange();
    }

    private JsonNode onlyMessage(String wamid) {
        List<Captured> webhooks = INGEST.requests().stream()
                .filter(r -> r.path().equals("/webhooks/whatsapp") && r.bodyText().contains(wamid)).toList();
        assertThat(webhooks).hasSize(1);
        return json.readTree(webhooks.get(0).body()).path("entry").get(0).path("changes").get(0).path("value")
                .path("messages").get(0);
    }
}
