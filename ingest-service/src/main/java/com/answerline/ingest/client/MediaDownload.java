package com.answerline.ingest.client;

import org.springframework.core.io.buffer.DataBuffer;
import reactor.core.publisher.Flux;

/**
 * A media file on its way from the provider: its content type and length as the download answered them, and the
 * bytes, streamed (each buffer passes through once; nothing is kept).
 *
 * @param contentType   the download's {@code Content-Type}, else the retrieval's {@code mime_type}; null when neither said
 * @param contentLength bytes, or -1 when the provider did not say
 * @param body          the bytes; fails with {@link MediaProviderException} when the provider stops or the file turns
 *                      out larger than the limit, after what was already sent
 */
public record MediaDownload(String contentType, long contentLength, Flux<DataBuffer> body) {
}
