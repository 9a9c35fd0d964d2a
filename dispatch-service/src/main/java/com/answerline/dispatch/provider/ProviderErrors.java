package com.answerline.dispatch.provider;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.netty.handler.timeout.ReadTimeoutException;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.netty.http.client.PrematureCloseException;

import com.answerline.dispatch.provider.sms.SmsApiException;
import com.answerline.dispatch.provider.whatsapp.WhatsAppApiException;

/**
 * Classifies provider failures per DOMAIN.md section 3 (WhatsApp Cloud API codes) and 4 (Twilio-shaped SMS).
 * A code not in the table falls back to its HTTP status: 5xx transient, 429 throughput, anything else permanent,
 * so an unknown refusal is never retried blindly.
 */
public final class ProviderErrors {

    /** 131000 unknown error, 131016 service unavailable. */
    static final Set<Integer> WHATSAPP_TRANSIENT = Set.of(131000, 131016);
    static final int WHATSAPP_THROUGHPUT = 130429;
    static final int WHATSAPP_RECIPIENT_PACING = 131056;
    /** Policy block, account locked, country restricted, payment issue: stop the channel, alert. */
    static final Set<Integer> WHATSAPP_BLOCKED = Set.of(368, 131031, 130497, 131042);
    /**
     * Direct Send refusals (100 "Direct Send isn't enabled for this account", 139200 "Direct Send utility or
     * authentication access is blocked"): about the business account, not the provider's health; never retried,
     * never parked, never a breaker failure, whatever the HTTP status. The sender records them and continues the
     * reply down its chain.
     */
    public static final Set<Integer> WHATSAPP_DIRECT_SEND_REFUSED = Set.of(100, 139200);
    /** Twilio's 20429 "Too Many Requests". */
    static final int TWILIO_TOO_MANY_REQUESTS = 20429;

    private ProviderErrors() {
    }

    public static ProviderErrorKind classify(Throwable error) {
        if (error instanceof WhatsAppApiException e) {
            return whatsApp(e.httpStatus(), e.code());
        }
        if (error instanceof SmsApiException e) {
            return sms(e.httpStatus(), e.code());
        }
        if (error instanceof CallNotPermittedException || error instanceof RequestNotPermitted) {
            return ProviderErrorKind.UNAVAILABLE;
        }
        if (answerLost(error)) {
            return ProviderErrorKind.IN_DOUBT;
        }
        if (error instanceof WebClientRequestException || error instanceof IOException
                || error instanceof TimeoutException) {
            return ProviderErrorKind.TRANSIENT;
        }
        return ProviderErrorKind.PERMANENT;
    }

    /**
     * True when the provider is unavailable and the message certainly did not reach it: our breaker or rate limiter
     * refused it, the provider answered 5xx or 429 (throughput), or the connection failed before the request was
     * sent. Such a send is parked and retried later; a lost answer (IN_DOUBT) is not (it may have been delivered).
     */
    public static boolean unavailable(Throwable error) {
        ProviderErrorKind kind = classify(error);
        return kind == ProviderErrorKind.UNAVAILABLE || kind == ProviderErrorKind.TRANSIENT
                || kind == ProviderErrorKind.NUMBER_THROUGHPUT || kind == ProviderErrorKind.RECIPIENT_PACING;
    }

    /** The wait the provider asked for with its refusal (Retry-After), or null. */
    public static Duration retryAfter(Throwable error) {
        if (error instanceof WhatsAppApiException e) {
            return e.retryAfter();
        }
        return error instanceof SmsApiException e ? e.retryAfter() : null;
    }

    /** The error as a short, bounded code for logs and the ledger (the metric's code tag). */
    public static String code(Throwable error) {
        return codeTag(error);
    }

    /**
     * True when the request was on its way and the answer was lost: Reactor Netty's response timeout
     * ({@code ReadTimeoutException}) or a connection closed before the response ({@code PrematureCloseException}),
     * however wrapped. A refused or timed-out connection never reached the provider and is plainly transient.
     */
    static boolean answerLost(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ReadTimeoutException || cause instanceof PrematureCloseException) {
                return true;
            }
        }
        return false;
    }

    public static ProviderErrorKind whatsApp(int httpStatus, int code) {
        if (code == WhatsAppApiException.WINDOW_CLOSED) {
            return ProviderErrorKind.WINDOW_CLOSED;
        }
        if (code == WHATSAPP_RECIPIENT_PACING) {
            return ProviderErrorKind.RECIPIENT_PACING;
        }
        if (code == WHATSAPP_THROUGHPUT) {
            return ProviderErrorKind.NUMBER_THROUGHPUT;
        }
        if (WHATSAPP_TRANSIENT.contains(code)) {
            return ProviderErrorKind.TRANSIENT;
        }
        if (WHATSAPP_DIRECT_SEND_REFUSED.contains(code)) {
            return ProviderErrorKind.PERMANENT;
        }
        if (WHATSAPP_BLOCKED.contains(code)) {
            return ProviderErrorKind.CHANNEL_BLOCKED;
        }
        if (code != WhatsAppApiException.NO_CODE) {
            // 131026, 131048-131050, 131008, 131009, 100, 132000, 132001, 132005, ...: the table's permanent rows,
            // and any code Meta adds later unless its status says the server failed.
            return httpStatus >= 500 ? ProviderErrorKind.TRANSIENT : ProviderErrorKind.PERMANENT;
        }
        return byStatus(httpStatus);
    }

    public static ProviderErrorKind sms(int httpStatus, int code) {
        if (code == TWILIO_TOO_MANY_REQUESTS) {
            return ProviderErrorKind.NUMBER_THROUGHPUT;
        }
        return byStatus(httpStatus);
    }

    private static ProviderErrorKind byStatus(int httpStatus) {
        if (httpStatus >= 500) {
            return ProviderErrorKind.TRANSIENT;
        }
        if (httpStatus == 429) {
            return ProviderErrorKind.NUMBER_THROUGHPUT;
        }
        // Including a 2xx without a message id: the provider may have accepted it, a retry could send it twice.
        return ProviderErrorKind.PERMANENT;
    }

    /** The provider's error code as a metric tag: a bounded set of numbers, or the kind of local failure. */
    static String codeTag(Throwable error) {
        if (error instanceof WhatsAppApiException e) {
            return e.code() == WhatsAppApiException.NO_CODE ? "http_" + e.httpStatus() : Integer.toString(e.code());
        }
        if (error instanceof SmsApiException e) {
            return e.code() == SmsApiException.NO_CODE ? "http_" + e.httpStatus() : Integer.toString(e.code());
        }
        if (error instanceof CallNotPermittedException) {
            return "circuit_open";
        }
        if (error instanceof RequestNotPermitted) {
            return "rate_limited";
        }
        ProviderErrorKind kind = classify(error);
        if (kind == ProviderErrorKind.IN_DOUBT) {
            return "no_answer";
        }
        return kind == ProviderErrorKind.TRANSIENT ? "io" : "other";
    }
}
