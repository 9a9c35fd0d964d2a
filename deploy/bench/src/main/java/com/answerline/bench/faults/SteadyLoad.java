package com.answerline.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

import com.answerline.bench.load.HttpLoad;
import com.answerline.bench.stage.Conversations;
import com.answerline.bench.stage.Harness;
import com.answerline.bench.traffic.Customers;
import com.answerline.bench.traffic.Json;
import com.answerline.bench.traffic.MetaWebhooks;

/**
 * The traffic a fault is injected into, as the real senders behave: customers' messages arrive as signed webhooks
 * that are redelivered, byte for byte, until ingest answers 200 (Meta's at-least-once delivery, with a backoff that
 * grows: {@link #webhookRedelivery()}); an agent's replies go through the gateway with an Idempotency-Key and are
 * retried with the same key until 202 (a client that never knows whether its first try got through:
 * {@link #replyRetry()}). Each message and reply is tracked: how often it was
 * tried, and whether it was ever accepted. Bounded: whatever is not accepted within {@code giveUpAfter} is given up
 * (and reported as such, never counted as delivered).
 */
final class SteadyLoad {

    /** One customer message: its conversation, whether ingest ever answered 200, how many posts it took. */
    static final class Message {
        final String conversation;
        final AtomicBoolean accepted = new AtomicBoolean();
        final AtomicInteger attempts = new AtomicInteger();
        final Deliveries.Tally deliveries = new Deliveries.Tally();

        Message(String conversation) {
            this.conversation = conversation;
        }
    }

    /** One agent reply: its conversation, the command id the gateway answered with, tries, acceptance. */
    static final class Reply {
        final String conversation;
        final String phone;
        volatile String commandId;
        final AtomicBoolean accepted = new AtomicBoolean();
        final AtomicInteger attempts = new AtomicInteger();
        volatile String refusal;

        Reply(String conversation, String phone) {
            this.conversation = conversation;
            this.phone = phone;
        }
    }

    /** @param webhooksPerSecond customer messages; @param repliesPerSecond agent replies */
    record Rates(int webhooksPerSecond, int repliesPerSecond) {

        String describe(Duration duration) {
            return webhooksPerSecond + " webhooks/s + " + repliesPerSecond + " replies/s for " + duration.toSeconds() + " s";
        }
    }

    private final Harness harness;
    private final Customers customers;
    private final String tag;
    private final Rates rates;
    private final Duration giveUpAfter;
    private final String token;
    final Map<String, Message> messages = new ConcurrentHashMap<>();
    final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running;
    private Thread webhookThread;
    private Thread replyThread;
    private long startedAt;
    private long stoppedAt;

    SteadyLoad(Harness harness, Customers customers, String tag, Rates rates, Duration giveUpAfter) {
        this.harness = harness;
        this.customers = customers;
        this.tag = tag;
        this.rates = rates;
        this.giveUpAfter = giveUpAfter;
        this.token = harness.sandbox().agentToken("fault-agent", "demo");
    }

    /** The text of a reply as its customer's phone shows it. */
    static String replyText(String key) {
        return "fault reply " + key;
    }

    void start() {
        running = true;
        startedAt = System.nanoTime();
        webhookThread = paced("fault-webhooks", rates.webhooksPerSecond(), this::message);
        replyThread = paced("fault-replies", rates.repliesPerSecond(), this::reply);
    }

    /** Stops issuing; what is in flight goes on retrying. */
    void stop() {
        running = false;
        stoppedAt = System.nanoTime();
        for (Thread thread : new Thread[] {webhookThread, replyThread}) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    Duration duration() {
        return Duration.ofNanos(stoppedAt - startedAt);
    }

    /** Waits until every message and reply is accepted or given up; true when none is left in flight. */
    boolean drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        return inFlight.get() == 0;
    }

    private Thread paced(String name, int perSecond, java.util.function.LongConsumer issue) {
        Thread thread = new Thread(() -> {
            if (perSecond <= 0) {
                return;
            }
            long interval = 1_000_000_000L / perSecond;
            long start = System.nanoTime();
            for (long n = 0; running; n++) {
                long wait = start + n * interval - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (running) {
                    issue.accept(n);
                }
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void message(long n) {
        int i = (int) (n % customers.count());
        String wamid = "wamid.fault." + tag + "." + n;
        Message message = new Message(customers.conversation(Conversations.DEMO_NUMBER, i));
        messages.put(wamid, message);
        MetaWebhooks meta = MetaWebhooks.demo();
        byte[] body = meta.textMessage(customers.phone(i), wamid, Instant.now(), "fault message " + n);
        HttpLoad.Request request = new HttpLoad.Request(harness.endpoints().webhooks() + "/webhooks/whatsapp",
                Map.of("Content-Type", "application/json", MetaWebhooks.SIGNATURE_HEADER, meta.signature(body)), body);
        inFlight.incrementAndGet();
        Mono.defer(() -> {
                    message.attempts.incrementAndGet();
                    return harness.http().exchange(request);
                })
                .doOnNext(answer -> message.deliveries.add(Deliveries.of(answer.status(), answer.body())))
                .doOnError(error -> message.deliveries.add(Deliveries.of(error)))
                .flatMap(answer -> answer.status() == 200 ? Mono.just(answer)
                        : Mono.error(new Refused(answer.status(), null)))
                .retryWhen(webhookRedelivery())
                .timeout(giveUpAfter)
                .doFinally(signal -> inFlight.decrementAndGet())
                .subscribe(status -> message.accepted.set(true), error -> { });
    }

    private void reply(long n) {
        int i = (int) (n % customers.count());
        String key = "fault-" + tag + "-" + n;
        Reply reply = new Reply(customers.conversation(Conversations.DEMO_NUMBER, i), customers.phone(i));
        replies.put(key, reply);
        byte[] body = ("{\"text\":" + Json.quote(replyText(key)) + ",\"fallback\":\"SMS\"}").getBytes();
        HttpLoad.Request request = new HttpLoad.Request(harness.endpoints().ingest() + "/api/v1/conversations/"
                + reply.conversation + "/replies", Map.of("Content-Type", "application/json", "Authorization",
                "Bearer " + token, "Idempotency-Key", key), body);
        inFlight.incrementAndGet();
        Mono.defer(() -> {
                    reply.attempts.incrementAndGet();
                    return harness.http().exchange(request);
                })
                .flatMap(answer -> {
                    if (answer.status() == 202) {
                        return Mono.just(answer);
                    }
                    // 503 (Kafka or a store away) and 5xx are worth another try; any other refusal is final.
                    return Mono.error(new Refused(answer.status(), answer.body()));
                })
                .retryWhen(replyRetry().filter(error -> !(error instanceof Refused refused) || refused.retryable()))
                .timeout(giveUpAfter)
                .doFinally(signal -> inFlight.decrementAndGet())
                .subscribe(answer -> {
                    reply.commandId = commandIdOf(answer.body());
                    reply.accepted.set(true);
                }, error -> reply.refusal = error.toString());
    }

    private static String commandIdOf(String body) {
        try {
            JsonNode json = Json.MAPPER.readTree(body);
            return json.path("commandId").asText(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * How Meta redelivers a webhook that was not answered 200: again and again, "with decreasing frequency" (for days;
     * DOMAIN.md). Here from 1 s, doubling, at most 30 s apart (a run gives up after minutes, not days), with jitter.
     * A flat 2 s, as before, had every message of an outage of ingest's retried 20 times a minute: after ten outages
     * in the long mode the machine spent its run on redeliveries, which ingest then timed out (docs/reliability.md).
     */
    static RetryBackoffSpec webhookRedelivery() {
        return Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)).jitter(0.5);
    }

    /** An agent's client retrying a reply with its Idempotency-Key: from 500 ms, doubling, at most 5 s apart. */
    static RetryBackoffSpec replyRetry() {
        return Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(5)).jitter(0.5);
    }

    /** A non-success answer. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String body) {
            super("HTTP " + status + (body == null ? "" : ": " + body), null, false, false);
            this.status = status;
        }

        boolean retryable() {
            return status == 429 || status >= 500;
        }
    }
}
