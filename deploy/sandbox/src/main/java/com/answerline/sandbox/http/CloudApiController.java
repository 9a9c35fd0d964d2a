package com.answerline.sandbox.http;

import com.answerline.sandbox.config.SandboxProperties;
import com.answerline.sandbox.whatsapp.CloudApiError;
import com.answerline.sandbox.whatsapp.CloudApiException;
import com.answerline.sandbox.whatsapp.CloudApiService;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** WhatsApp Cloud API: {@code POST /v{N}/{phone_number_id}/messages} and the template listing. */
@RestController
class CloudApiController {

    private final CloudApiService cloudApi;
    private final byte[] expectedAuthorization;

    CloudApiController(CloudApiService cloudApi, SandboxProperties properties) {
        this.cloudApi = cloudApi;
        this.expectedAuthorization = ("Bearer " + properties.whatsapp().accessToken()).getBytes(StandardCharsets.UTF_8);
    }

    @PostMapping(path = "/v{version}/{phoneNumberId}/messages", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, Object>> send(@PathVariable String version, @PathVariable String phoneNumberId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody JsonNode request) {
        authorize(authorization);
        return cloudApi.send(phoneNumberId, request);
    }

    @GetMapping(path = "/v{version}/{wabaId}/message_templates", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> templates(@PathVariable String version, @PathVariable String wabaId,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        authorize(authorization);
        return cloudApi.templatesOf(wabaId);
    }

    private void authorize(String authorization) {
        byte[] presented = authorization == null ? new byte[0] : authorization.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, expectedAuthorization)) {
            throw new CloudApiException(CloudApiError.invalidAccessToken());
        }
    }
}
