package com.answerline.ingest.gateway;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import com.answerline.ingest.client.MediaDownload;
import com.answerline.ingest.client.MediaReference;
import com.answerline.ingest.client.SessionClient;
import com.answerline.ingest.client.WhatsAppMediaClient;
import com.answerline.ingest.config.MediaProperties;
import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.schemas.tenant.TenantDirectory;

/**
 * {@code GET /api/v1/conversations/{conversationId}/media/{mediaId}}: a customer's image, document, audio or video,
 * streamed from the provider to the agent, never stored. session-service says whether the media id is one of the
 * conversation's (its thread); the WhatsApp Cloud API gives the file ({@link WhatsAppMediaClient}).
 *
 * <p>The answer is the provider's bytes under the provider's content type, shown inline when it is a picture, a sound
 * or a video and a browser can show it safely (not SVG, which can script), else as a download with the file's name;
 * never cached ({@code private, no-store}), never sniffed as another type ({@code nosniff}), and sandboxed
 * ({@code Content-Security-Policy: sandbox}), since the file is the customer's and is served from the gateway's origin.
 */
@RestController
@RequestMapping("/api/v1")
class MediaController {

    /** Media ids are Meta's digits; anything well outside that is not looked up. */
    static final Pattern MEDIA_ID = Pattern.compile("[0-9A-Za-z._-]{1,128}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    private static final int MAX_FILE_NAME = 240;

    private final ConversationAccess access;
    private final SessionClient sessions;
    private final WhatsAppMediaClient provider;
    private final long maxBytes;

    MediaController(TenantDirectory tenants, SessionClient sessions, WhatsAppMediaClient provider, MediaProperties media) {
        this.access = new ConversationAccess(tenants);
        this.sessions = sessions;
        this.provider = provider;
        this.maxBytes = media.maxSize().toBytes();
    }

    @Operation(summary = "A customer's media file (image, document, audio, video), streamed from the provider",
            description = "The bytes under the provider's content type; images, audio and video inline, documents as "
                    + "a download with their file name. 404 when the media id is not one of this conversation's (or "
                    + "the conversation is another tenant's). 502 when the provider fails, times out or the file is "
                    + "larger than answerline.ingest.media.max-size (type urn:answerline:problem:media-too-large). "
                    + "503 while session-service cannot answer.")
    @ApiResponse(responseCode = "200", description = "the file",
            content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary")))
    @GetMapping("/conversations/{conversationId}/media/{mediaId}")
    Mono<ResponseEntity<Flux<DataBuffer>>> media(@PathVariable String conversationId, @PathVariable String mediaId,
                                                  @AuthenticationPrincipal Jwt token) {
        ConversationAccess.Conversation target = access.resolve(conversationId, token);
        if (!MEDIA_ID.matcher(mediaId).matches()) {
            throw new InvalidRequestException("mediaId", "must be 1 to 128 letters, digits, '.', '_' or '-'");
        }
        return sessions.mediaReference(token, target.id().toString(), mediaId)
                .flatMap(found -> Mono.justOrEmpty(found.filter(reference -> mediaId.equals(reference.mediaId()))))
                .switchIfEmpty(Mono.error(MediaNotFoundException::new))
                .flatMap(reference -> provider.download(reference.phoneNumberId() != null ? reference.phoneNumberId()
                                : target.id().phoneNumberId(), mediaId, maxBytes)
                        .map(download -> ResponseEntity.ok().headers(headers(reference, download)).body(download.body())));
    }

    static HttpHeaders headers(MediaReference reference, MediaDownload download) {
        MediaType type = mediaType(download.contentType(), reference.mimeType());
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(type);
        if (download.contentLength() >= 0) {
            headers.setContentLength(download.contentLength());
        }
        boolean inline = shownInline(type);
        ContentDisposition.Builder disposition = inline ? ContentDisposition.inline() : ContentDisposition.attachment();
        String fileName = fileName(reference.fileName());
        if (fileName != null || !inline) {
            disposition.filename(fileName != null ? fileName : reference.mediaId(), StandardCharsets.UTF_8);
        }
        headers.setContentDisposition(disposition.build());
        headers.setCacheControl(CacheControl.noStore().cachePrivate());
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Content-Security-Policy", "sandbox");
        return headers;
    }

    /** Pictures, sounds and videos a browser shows by itself; SVG is a document that can run script. */
    static boolean shownInline(MediaType type) {
        return switch (type.getType()) {
            case "image" -> !type.getSubtype().contains("svg");
            case "audio", "video" -> true;
            default -> false;
        };
    }

    /** The provider's type of the download, else the type the message announced, else bytes. */
    private static MediaType mediaType(String... candidates) {
        for (String candidate : candidates) {
            if (candidate != null) {
                try {
                    MediaType type = MediaType.parseMediaType(candidate);
                    if (type.isConcrete()) {
                        return type;
                    }
                } catch (InvalidMediaTypeException e) {
                    // try the next
                }
            }
        }
        return MediaType.APPLICATION_OCTET_STREAM;
    }

    /** The customer's file name, fit for a header: no control characters, not endless. */
    private static String fileName(String name) {
        if (name == null) {
            return null;
        }
        String clean = CONTROL.matcher(name).replaceAll("").strip();
        if (clean.isEmpty()) {
            return null;
        }
        return clean.length() <= MAX_FILE_NAME ? clean : clean.substring(0, MAX_FILE_NAME);
    }
}
