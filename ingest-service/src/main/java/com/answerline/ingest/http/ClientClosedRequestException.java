package com.answerline.ingest.http;

/**
 * The client closed its connection before its request was read whole (a provider's or a balancer's timeout, a sender
 * that died): there is nobody left to answer. Not a server error: {@link ProblemAdvice} counts it with status 499
 * (nginx's "client closed request") and logs it at DEBUG, where it used to be a 500 logged at ERROR.
 */
public class ClientClosedRequestException extends RuntimeException {

    /** nginx's status for a request its client closed; not in HttpStatus. */
    public static final int STATUS = 499;

    public ClientClosedRequestException(Throwable cause) {
        super("the client closed the connection before the request was read: " + cause.getMessage(), cause);
    }
}
