package com.answerline.ingest.client;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The WhatsApp Cloud API's media (DOMAIN.md section 3): {@code GET {baseUrl}/{version}/{media-id}} with the business
 * token answers a short-lived URL, which is downloaded with the same token. The download is streamed: its buffers are
 * handed on as they arrive, with the provider's own flow control (the agent's connection pulls), so no file is ever
 * held whole in memory or stored.
 *
 * <p>Limits: a file above {@code maxBytes} is refused before a byte is sent when the retrieval's {@code file_size} or
 * the download's {@code Content-Length} says so, else cut off there. The token goes only to {@code baseUrl}'s host and
 * the configured media hosts: a download URL elsewhere is refused, not followed. Timeouts live in the connector.
 * Every failure is a {@link MediaProviderException}.
 */
public class WhatsAppMediaClient {

    private static final Logger log = LoggerFactory.getLogger(WhatsAppMediaClient.class);

    private final WebClient api;
    private final WebClient downloads;
    private final String apiVersion;
    private final Set<String> tokenHosts;

    /** @param mediaHosts hosts a download URL may point at besides {@code baseUrl}'s */
    public WhatsAppMediaClient(WebClient.Builder builder, ClientHttpConnector connector, URI baseUrl, String apiVersion,
                               String token, List<String> mediaHosts) {
        this.api = builder.clone().clientConnector(connector).baseUrl(baseUrl.toString())
                .defaultHeaders(headers -> headers.setBearerAuth(token)).build();
        this.downloads = builder.clone().clientConnector(connector)
                .defaultHeaders(headers -> headers.setBearerAuth(token)).build();
        this.apiVersion = apiVersion;
        this.tokenHosts = Stream.concat(Stream.of(baseUrl.getHost()), mediaHosts.stream())
                .map(host -> host.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The media file: retrieval, then the download's status and headers; the body follows as it is read.
     *
     * @param phoneNumberId the business number the media came to (the Cloud API then serves it only for that number)
     */
    public Mono<MediaDownload> download(String phoneNumberId, String mediaId, long maxBytes) {
        return api.get()
                .uri(uri -> uri.path("/{version}/{mediaId}").queryParam("phone_number_id", "{phoneNumberId}")
                        .build(apiVersion, mediaId, phoneNumberId))
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(MediaUrl.class)
                        : refused("media retrieval", response))
                .switchIfEmpty(Mono.error(() -> MediaProviderException.failed("media retrieval answered no body")))
                .flatMap(media -> media.fileSize() != null && media.fileSize() > maxBytes
                        ? Mono.error(MediaProviderException.tooLarge(media.fileSize(), maxBytes))
                        : fetch(media, maxBytes))
                .onErrorMap(error -> !(error instanceof MediaProviderException), WhatsAppMediaClient::unreachable);
    }

    private Mono<MediaDownload> fetch(MediaUrl media, long maxBytes) {
        URI url = downloadUrl(media);
        return downloads.get().uri(url)
                .retrieve()
                .onStatus(HttpStatusCode::isError, response -> refused("media download", response))
                .toEntityFlux(DataBuffer.class)
                .flatMap(entity -> {
                    long length = entity.getHeaders().getContentLength();
                    if (length > maxBytes) {
                        // Nothing sent yet: refuse, and close the download without reading it.
                        return entity.getBody().next().doOnNext(DataBufferUtils::release)
                                .then(Mono.error(MediaProviderException.tooLarge(length, maxBytes)));
                    }
                    MediaType type = entity.getHeaders().getContentType();
                    return Mono.just(new MediaDownload(type != null ? type.toString() : media.mimeType(), length,
                            limited(entity.getBody(), maxBytes)));
                });
    }

    /** The retrieval's URL, if it is one the token may be sent to. */
    private URI downloadUrl(MediaUrl media) {
        URI url;
        try {
            url = media.url() == null ? null : URI.create(media.url());
        } catch (IllegalArgumentException e) {
            url = null;
        }
        if (url == null || url.getHost() == null || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
            throw MediaProviderException.failed("media retrieval answered no usable download URL");
        }
        if (!tokenHosts.contains(url.getHost().toLowerCase(Locale.ROOT))) {
            throw MediaProviderException.failed("the download URL points at " + url.getHost()
                    + ", not a configured media host (answerline.ingest.whatsapp.cloud-api.media-hosts)");
        }
        return url;
    }

    /**
     * The body, cut off with an error once it passes {@code maxBytes} (a download that did not announce its length,
     * or announced less). What was sent up to there has gone to the agent; the error ends the response uncompleted.
     */
    private static Flux<DataBuffer> limited(Flux<DataBuffer> body, long maxBytes) {
        return Flux.defer(() -> {
            AtomicLong seen = new AtomicLong();
            return body.<DataBuffer>handle((buffer, sink) -> {
                if (seen.addAndGet(buffer.readableByteCount()) > maxBytes) {
                    DataBufferUtils.release(buffer);
                    sink.error(MediaProviderException.tooLarge(-1, maxBytes));
                } else {
                    sink.next(buffer);
                }
            }).onErrorMap(error -> !(error instanceof MediaProviderException), WhatsAppMediaClient::unreachable)
                    .doOnError(error -> log.warn("Media download stopped after {} bytes: {}", seen.get(), error.getMessage()));
        });
    }

    /** An error answer: its status and, when it is Meta's error envelope, its code (not its message text). */
    private static <T> Mono<T> refused(String call, ClientResponse response) {
        int status = response.statusCode().value();
        return response.bodyToMono(ErrorEnvelope.class)
                .onErrorResume(unreadable -> Mono.empty())
                .map(envelope -> envelope.error() == null || envelope.error().code() == null ? ""
                        : ", code " + envelope.error().code())
                .defaultIfEmpty("")
                .flatMap(code -> {
                    log.warn("WhatsApp {} answered {}{}", call, status, code);
                    return Mono.error(MediaProviderException.failed(call + " answered " + status + code));
                });
    }

    /** Refused or reset connections, timeouts, an unreadable answer: the provider did not answer usably. */
    private static Throwable unreachable(Throwable error) {
        log.warn("WhatsApp media unreachable: {}", error.getClass().getSimpleName());
        return MediaProviderException.failed("no usable answer from the provider (" + error.getClass().getSimpleName() + ")");
    }

    /** The retrieval's answer ({@code file_size} a number or a numeric string, as Meta's examples differ). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MediaUrl(String url, @JsonProperty("mime_type") String mimeType, String sha256,
                    @JsonProperty("file_size") Long fileSize, String id) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorEnvelope(ErrorBody error) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorBody(Integer code) {
    }
}
