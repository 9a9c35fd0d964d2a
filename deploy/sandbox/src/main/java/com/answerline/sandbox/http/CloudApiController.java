package com.answerline.sandbox.http;

import com.answerline.sandbox.config.SandboxProperties;
import com.answerline.sandbox.whatsapp.CloudApiError;
import com.answerline.sandbox.whatsapp.CloudApiException;
import com.answerline.sandbox.whatsapp.CloudApiMedia;
import com.answerline.sandbox.whatsapp.CloudApiService;
import com.answerline.sandbox.whatsapp.DirectSend;
import com.answerline.sandbox.whatsapp.MediaLibrary;
import com.answerline.sandbox.whatsapp.SendArrivals;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * WhatsApp Cloud API: {@code POST /v{N}/{phone_number_id}/messages}, the template listing (all, or
 * {@code ?source=AUTO_GENERATED}: those generated behind Direct Send), and media retrieval
 * ({@code GET /v{N}/{media-id}}, then the download URL it answers), all with the business token.
 */
@RestController
class CloudApiController {

    private final CloudApiService cloudApi;
    private final CloudApiMedia media;
    private final SendArrivals arrivals;
    private final Clock clock;
    private final byte[] expectedAuthorization;

    CloudApiController(CloudApiService cloudApi, CloudApiMedia media, SandboxProperties properties,
            SendArrivals arrivals, Clock clock) {
        this.cloudApi = cloudApi;
        this.media = media;
        this.arrivals = arrivals;
        this.clock = clock;
        this.expectedAuthorization = ("Bearer " + properties.whatsapp().accessToken()).getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping(path = "/v{version}/{phoneNumberId}/messages", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> send(@PathVariable String version, @PathVariable String phoneNumberId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody JsonNode request) {
        authorize(authorization);
        // Counted as it reached "WhatsApp", whatever the answer (throughput is WhatsApp's count of arrivals).
        arrivals.record(phoneNumberId, clock.instant(), DirectSend.requested(request));
        return cloudApi.send(phoneNumberId, request);
    }

    @GetMapping(path = "/v{version}/{wabaId}/message_templates", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> templates(@PathVariable String version, @PathVariable String wabaId,
            @RequestParam(required = false) String source,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        authorize(authorization);
        return cloudApi.templatesOf(wabaId, source);
    }

    @GetMapping(path = "/v{version}/{mediaId}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> retrieveMedia(@PathVariable String version, @PathVariable String mediaId,
            @RequestParam(name = "phone_number_id", required = false) String phoneNumberId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            ServerHttpRequest request) {
        authorize(authorization);
        return media.retrieve(mediaId, phoneNumberId, request.getURI());
    }

    /** The short-lived URL of a retrieval: the file's bytes under its content type, with the same token only. */
    @GetMapping(path = {CloudApiMedia.DOWNLOAD_PATH, "/whatsapp_business/attachments"})
    ResponseEntity<byte[]> downloadMedia(@RequestParam(required = false) String mid,
            @RequestParam(required = false) String ext, @RequestParam(required = false) String hash,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        authorize(authorization);
        MediaLibrary.Media file = media.download(mid, ext, hash);
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(file.mimeType()))
                .contentLength(file.size())
                .body(file.bytes());
    }

    private void authorize(String authorization) {
        byte[] presented = authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, expectedAuthorization)) {
            throw new CloudApiException(CloudApiError.invalidAccessToken());
        }
    }
}
