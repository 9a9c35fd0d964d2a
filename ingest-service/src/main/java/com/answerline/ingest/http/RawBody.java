package com.answerline.ingest.http;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;

/**
 * Reads a request body as the exact bytes that were sent (signatures are computed over them), refusing more
 * than the limit without buffering it: by Content-Length up front, and while streaming for chunked bodies. A client
 * that closes the connection before its body is read whole ends in {@link ClientClosedRequestException}.
 */
public final class RawBody {

    private RawBody() {
    }

    public static Mono<byte[]> read(ServerHttpRequest request, DataSize limit) {
        long max = limit.toBytes();
        if (request.getHeaders().getContentLength() > max) {
            return Mono.error(new PayloadTooLargeException(max));
        }
        return DataBufferUtils.join(request.getBody(), (int) Math.min(max, Integer.MAX_VALUE))
                .map(buffer -> {
                    try {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, e -> new PayloadTooLargeException(max))
                .onErrorMap(RawBody::clientWentAway, ClientClosedRequestException::new);
    }

    /** Reactor Netty's signal that the connection closed under the request (or was reset by the peer). */
    static boolean clientWentAway(Throwable error) {
        return error instanceof AbortedException || AbortedException.isConnectionReset(error);
    }
}
