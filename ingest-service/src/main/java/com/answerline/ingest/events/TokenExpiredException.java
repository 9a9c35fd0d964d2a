package com.answerline.ingest.events;

import java.time.Instant;

/**
 * The token is past its {@code exp} (the decoder allows a little clock skew): no stream is opened for it, since it
 * would end at once and a client would reconnect in a loop with the same token; answered 401.
 */
public class TokenExpiredException extends RuntimeException {

    TokenExpiredException(Instant expiredAt) {
        super("the token expired at " + expiredAt + "; sign in again or refresh the token", null, false, false);
    }
}
