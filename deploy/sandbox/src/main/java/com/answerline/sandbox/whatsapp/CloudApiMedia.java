package com.answerline.sandbox.whatsapp;

import com.answerline.sandbox.config.SandboxProperties;
import com.answerline.sandbox.fault.FaultSwitches;
import com.answerline.sandbox.fault.Provider;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * The Cloud API's media retrieval, as DOMAIN.md section 3 states it: {@code GET /v{N}/{media-id}} (business token)
 * answers the file's facts and a short-lived URL, which is downloaded with the same token. The URL points at this
 * sandbox, under the host the caller used, so it works wherever the caller reached the sandbox (127.0.0.1 locally,
 * {@code provider-sandbox} in compose).
 */
@Service
public class CloudApiMedia {

    /** Where download URLs point, after Meta's own {@code lookaside.fbsbx.com/whatsapp_business/attachments/}. */
    public static final String DOWNLOAD_PATH = "/whatsapp_business/attachments/";

    private final MediaLibrary library;
    private final FaultSwitches faults;
    private final SandboxProperties properties;

    public CloudApiMedia(MediaLibrary library, FaultSwitches faults, SandboxProperties properties) {
        this.library = library;
        this.faults = faults;
        this.properties = properties;
    }

    /**
     * {@code {"messaging_product":"whatsapp","url","mime_type","sha256","file_size","id"}}, or the switched
     * {@code media} fault, or 404 (code 100) for an unknown id or one of another number than {@code phoneNumberId}
     * (optional, as in Meta's API: the operation is only processed for the number the media belongs to).
     *
     * @param requestUri the retrieval request as received: its scheme, host and port become the URL's
     */
    public Mono<Map<String, Object>> retrieve(String mediaId, String phoneNumberId, URI requestUri) {
        Optional<Mono<Map<String, Object>>> faulted = CloudApiException.answerFor(faults.next(Provider.MEDIA),
                properties.faults().timeoutDelay());
        if (faulted.isPresent()) {
            return faulted.get();
        }
        MediaLibrary.Media media = library.find(mediaId)
                .filter(found -> phoneNumberId == null || found.phoneNumberId().equals(phoneNumberId))
                .orElseThrow(() -> new CloudApiException(CloudApiError.unknownMedia(mediaId)));
        MediaLibrary.DownloadTicket ticket = library.ticket(media.id());
        String url = UriComponentsBuilder.fromUri(requestUri).replacePath(DOWNLOAD_PATH).replaceQuery(null)
                .queryParam("mid", ticket.mid())
                .queryParam("ext", ticket.ext())
                .queryParam("hash", ticket.hash())
                .build().toUriString();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("messaging_product", "whatsapp");
        answer.put("url", url);
        answer.put("mime_type", media.mimeType());
        answer.put("sha256", media.sha256());
        answer.put("file_size", media.size());
        answer.put("id", media.id());
        return Mono.just(answer);
    }

    /** The file of a download URL's query, while the URL holds (see {@link MediaLibrary#redeem}). */
    public MediaLibrary.Media download(String mid, String ext, String hash) {
        return library.redeem(mid, ext, hash);
    }
}
