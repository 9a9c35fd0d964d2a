package com.answerline.ingest.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The WhatsApp Cloud API as the gateway's media endpoint calls it ({@code GET {baseUrl}/{apiVersion}/{media-id}}, then
 * the download URL it answers), with the business token, as dispatch-service sends through it
 * ({@code answerline.dispatch.whatsapp}): the same base URL, version and token in one deployment. Its own record
 * (not part of {@link IngestProperties.WhatsApp}, which holds what checks Meta's webhooks) so the provider calls are
 * configured in one place.
 *
 * @param token          the business (system user) token: a secret, from the environment or a secret store
 *                       ({@code ANSWERLINE_INGEST_WHATSAPP_CLOUDAPI_TOKEN}); the default is a local-development value
 * @param connectTimeout per connection, to the API and to the download host
 * @param readTimeout    the longest wait for an answer, and between two reads of a download: a provider slower than
 *                       this is answered 502
 * @param mediaHosts     hosts a download URL may point at besides {@code baseUrl}'s (Meta's {@code lookaside.fbsbx.com}):
 *                       the token is sent to no other host
 */
@Validated
@ConfigurationProperties("answerline.ingest.whatsapp.cloud-api")
public record CloudApiProperties(@NotNull URI baseUrl,
                                 @NotBlank @Pattern(regexp = "v\\d+\\.\\d+", message = "must look like v23.0") String apiVersion,
                                 @NotBlank String token, @NotNull Duration connectTimeout, @NotNull Duration readTimeout,
                                 @NotNull List<@NotBlank String> mediaHosts) {
}
