package com.answerline.bench.badinput;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends the cases with a few requests in flight (JDK client, HTTP/1.1, 127.0.0.1) and judges each answer: a status
 * below 500 (the one the case expects, as problem details, when it expects one), or the documented 503 with
 * {@code Retry-After}. Anything else (another 5xx, no answer within the
 * timeout, a connection dropped on a request that is not above a size limit) is a violation, kept with a sample.
 * Good requests among the bad ones are retried on the documented 503, as Meta and a gateway client would.
 */
final class HttpBarrage {

    /**
     * The answer to one case; {@code status} -1 when there was none ({@code error} says why). {@code stalled}: the
     * first try got no answer within the timeout and this one came on a new connection (see {@link #sendOne}).
     */
    record Answer(HttpCases.Case request, int status, String body, String error, boolean stalled) {

        Answer(HttpCases.Case request, int status, String body, String error) {
            this(request, status, body, error, false);
        }

        Answer stalledFirst() {
            return new Answer(request, status, body, error, true);
        }

        boolean violation() {
            if (status >= 0) {
                boolean documented = status == 503 && body != null && body.startsWith(RETRY_AFTER_MARK);
                if (documented) {
                    return false;
                }
                return status >= 500 || request.expected() != null && !request.expected().metBy(status, body);
            }
            return !request.oversized();
        }
    }

    /** Per endpoint: requests, answers by status, violations with a few samples. */
    static final class Tally {
        final Map<Integer, Integer> statuses = new TreeMap<>();
        final List<String> samples = new ArrayList<>();
        int requests;
        int violations;
        int stalled;

        synchronized void add(Answer answer) {
            requests++;
            if (answer.stalled()) {
                stalled++;
            }
            statuses.merge(answer.status(), 1, Integer::sum);
            if (answer.violation()) {
                violations++;
                if (samples.size() < 3) {
                    String body = answer.body() == null ? "" : answer.body();
                    samples.add(answer.request().kind() + " -> " + (answer.status() < 0 ? answer.error()
                            : answer.status() + " " + body.substring(0, Math.min(200, body.length()))));
                }
            }
        }
    }

    private static final String NO_ANSWER = "no answer within ";

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The judge's mark for a 503 that carried Retry-After (kept in front of the body sample). */
    private static final String RETRY_AFTER_MARK = "[Retry-After] ";
    private static final int BODY_SAMPLE = 16 * 1024;

    /**
     * How long the first try on the shared keep-alive connection waits before it is taken for stalled and sent again on
     * a new connection (see {@link #sendOne}): the stack answers in well under a second, and a stall waited out for
     * the full timeout cost a 10,000-per-endpoint run half an hour (a stall about every round of the last endpoints).
     */
    static final Duration STALLED_AFTER = Duration.ofSeconds(10);

    private final HttpClient client;
    private final int inFlight;
    private final Duration timeout;

    HttpBarrage(int inFlight, Duration timeout) {
        this.client = newClient();
        this.inFlight = inFlight;
        this.timeout = timeout;
    }

    /** Sends every case; returns the answers in the cases' order. */
    List<Answer> send(List<HttpCases.Case> cases) {
        Answer[] answers = new Answer[cases.size()];
        AtomicInteger next = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(inFlight);
        for (int w = 0; w < inFlight; w++) {
            workers.execute(() -> {
                for (int i = next.getAndIncrement(); i < cases.size(); i = next.getAndIncrement()) {
                    answers[i] = sendOne(cases.get(i));
                }
            });
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(30, TimeUnit.MINUTES)) {
                workers.shutdownNow();
                throw new IllegalStateException("the bad-input requests did not finish within 30 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return List.of(answers);
    }

    /**
     * Sends one case. A request with no answer within {@link #STALLED_AFTER} is sent once more on a new connection
     * (which then has the whole timeout): Reactor
     * Netty 1.3.6 (Boot 4.0.7's) can stop reading a keep-alive connection when a request arrives before the previous
     * exchange on it has terminated (reactor/reactor-netty#4361; the build takes 1.3.9, which fixes it, since
     * 2026-12-08, so a stall now is a finding); the stalled request sits unread in the server's receive queue, so
     * sending it again cannot do anything twice. Such answers are counted as stalled (and reported); a request that stalls twice is a violation.
     */
    private Answer sendOne(HttpCases.Case request) {
        Answer first = answered(request, client, timeout.compareTo(STALLED_AFTER) < 0 ? timeout : STALLED_AFTER);
        if (first.status() >= 0 || !first.error().startsWith(NO_ANSWER)) {
            return first;
        }
        HttpClient fresh = newClient();
        Answer again = answered(request, fresh, timeout);
        return again.status() >= 0 ? again.stalledFirst() : first;
    }

    private Answer answered(HttpCases.Case request, HttpClient via, Duration timeout) {
        boolean good = request.kind().equals(BadInputSuite.GOOD);
        for (int attempt = 1; ; attempt++) {
            Answer answer = attempt(request, via, timeout);
            if (!good || answer.status() != 503 || attempt == 20) {
                return answer;
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
    }

    private Answer attempt(HttpCases.Case request, HttpClient via, Duration timeout) {
        HttpRequest http;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(request.uri())).timeout(timeout);
            request.headers().forEach(builder::header);
            http = builder.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body())).build();
        } catch (IllegalArgumentException e) {
            // A URI or header the client itself refuses: it never reaches a server, which is not the server's fault.
            return new Answer(request, 0, "not sendable: " + e.getMessage(), null);
        }
        java.time.Instant sentAt = java.time.Instant.now();
        try {
            HttpResponse<InputStream> response = via.send(http, HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                boolean stream = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
                body = stream ? "(event stream)" : new String(in.readNBytes(BODY_SAMPLE), StandardCharsets.UTF_8);
            }
            if (response.statusCode() == 503 && response.headers().firstValue("Retry-After").isPresent()) {
                body = RETRY_AFTER_MARK + body;
            }
            return new Answer(request, response.statusCode(), body, null);
        } catch (HttpTimeoutException e) {
            return new Answer(request, -1, null, NO_ANSWER + timeout + where(http, sentAt));
        } catch (IOException e) {
            return new Answer(request, -1, null, e + where(http, sentAt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(request, -1, null, "interrupted");
        }
    }

    /** When and where a request without an answer went, to find it in the services' logs. */
    private static String where(HttpRequest http, java.time.Instant sentAt) {
        String uri = http.uri().toString();
        return " (sent " + sentAt + ", " + http.method() + " " + uri.substring(0, Math.min(160, uri.length())) + ")";
    }

    /** The answers by endpoint, in first-seen order. */
    static Map<String, Tally> tally(List<Answer> answers) {
        Map<String, Tally> tallies = new java.util.LinkedHashMap<>();
        tallyInto(tallies, answers);
        return tallies;
    }

    /** Adds the answers to the tallies by endpoint (a run of several rounds tallies each as it comes). */
    static void tallyInto(Map<String, Tally> tallies, List<Answer> answers) {
        for (Answer answer : answers) {
            tallies.computeIfAbsent(answer.request().endpoint(), e -> new Tally()).add(answer);
        }
    }
}
