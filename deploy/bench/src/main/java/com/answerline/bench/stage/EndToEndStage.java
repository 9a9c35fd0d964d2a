package com.answerline.bench.stage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import com.answerline.bench.load.Latencies;
import com.answerline.bench.report.Check;
import com.answerline.bench.report.Figure;
import com.answerline.bench.traffic.Customers;
import com.answerline.bench.traffic.Json;
import com.answerline.bench.traffic.Sandbox;

/**
 * End to end, as a customer and an agent live it: a customer writes on WhatsApp (the sandbox posts the signed
 * webhook), the agent's screen hears of it on the gateway's live event stream and answers at once through the
 * gateway, and the answer reaches the customer's phone. Measures from the customer's message to the answer on the
 * phone, with the two halves: until the agent sees it, and from the agent's reply to the phone.
 */
public final class EndToEndStage {

    static final String STAGE = "e2e";

    /** @param conversations customers who write, at {@code rate} per second */
    public record Settings(int conversations, int rate, Duration timeout) {
    }

    private final Harness harness;
    private final Settings settings;
    private final List<String> replyErrorSamples = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    public EndToEndStage(Harness harness, Settings settings) {
        this.harness = harness;
        this.settings = settings;
    }

    public void run() {
        Customers customers = new Customers(harness.runId() * 4 + 3, settings.conversations());
        Sandbox sandbox = harness.sandbox();
        String token = sandbox.agentToken("bench-agent", "demo");
        String api = harness.endpoints().ingest() + "/api/v1";
        Map<String, Integer> indexOf = new ConcurrentHashMap<>();
        for (int i = 0; i < customers.count(); i++) {
            indexOf.put(customers.conversation(Conversations.DEMO_NUMBER, i), i);
        }
        Map<Integer, Long> wrote = new ConcurrentHashMap<>();
        Map<Integer, Long> seen = new ConcurrentHashMap<>();
        Map<Integer, Long> replied = new ConcurrentHashMap<>();
        AtomicLong replyErrors = new AtomicLong();

        HttpRequest streamRequest = HttpRequest.newBuilder(URI.create(api + "/events"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<Stream<String>> stream;
        try {
            stream = harness.json().client().send(streamRequest, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new IllegalStateException("GET /api/v1/events failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (stream.statusCode() != 200) {
            throw new IllegalStateException("GET /api/v1/events answered " + stream.statusCode());
        }
        // The agent: on a conversation event of a customer who waits, reply once (the Idempotency-Key makes a second
        // event of the same message harmless).
        Thread agent = new Thread(() -> {
            String[] event = {null};
            try {
                stream.body().forEach(line -> {
                    if (line.startsWith("event:")) {
                        event[0] = line.substring(6).trim();
                    } else if (line.startsWith("data:") && "conversation".equals(event[0])) {
                        JsonNode data = parse(line.substring(5));
                        Integer i = data == null ? null : indexOf.get(data.path("conversationId").asText());
                        if (i != null && data.path("windowOpen").asBoolean() && !data.path("unansweredSince").isNull()
                                && wrote.containsKey(i) && seen.putIfAbsent(i, System.currentTimeMillis()) == null) {
                            reply(api, token, data.path("conversationId").asText(), i, replied, replyErrors);
                        }
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                // The stage closes the stream when it is done: the agent's work ends with it.
            }
        }, "bench-e2e-agent");
        agent.setDaemon(true);
        agent.start();

        harness.progress("e2e: " + settings.conversations() + " customers write at " + settings.rate()
                + "/s, the agent answers each from the live stream");
        long interval = 1_000_000_000L / settings.rate();
        long start = System.nanoTime();
        Json json = harness.json();
        for (int i = 0; i < customers.count(); i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 50_000) {
                LockSupport.parkNanos(wait);
            }
            wrote.put(i, System.currentTimeMillis());
            json.client().sendAsync(HttpRequest.newBuilder(URI.create(sandbox.customerMessageUrl(customers.phone(i))))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Sandbox.customerMessage(Conversations.DEMO_NUMBER,
                            "Where is my order?"))).build(), HttpResponse.BodyHandlers.discarding());
        }

        Latencies total = new Latencies();
        Latencies toAgent = new Latencies();
        Latencies toPhone = new Latencies();
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        int arrived = 0;
        for (int i = 0; i < customers.count(); i++) {
            Long arrivedAt = null;
            while (arrivedAt == null && System.nanoTime() < deadline) {
                arrivedAt = sandbox.phone(customers.phone(i)).stream()
                        .filter(m -> m.text().startsWith("bench e2e answer")).map(m -> m.receivedAt().toEpochMilli())
                        .findFirst().orElse(null);
                if (arrivedAt == null) {
                    LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
                }
            }
            if (arrivedAt != null) {
                arrived++;
                total.recordMillis(arrivedAt - wrote.get(i));
                if (seen.containsKey(i)) {
                    toAgent.recordMillis(seen.get(i) - wrote.get(i));
                }
                if (replied.containsKey(i)) {
                    toPhone.recordMillis(arrivedAt - replied.get(i));
                }
            }
        }
        stream.body().close();
        for (double p : new double[] {50, 99}) {
            String q = "p" + (int) p;
            harness.report().add(Figure.of(STAGE, "customer message to answer on phone " + q, total.percentileMillis(p), "ms"));
            harness.report().add(Figure.of(STAGE, "  customer message to agent's screen " + q, toAgent.percentileMillis(p), "ms"));
            harness.report().add(Figure.of(STAGE, "  agent's reply to phone " + q, toPhone.percentileMillis(p), "ms"));
        }
        harness.report().add(Check.of(STAGE, "every customer got the agent's answer", arrived == customers.count()
                && replyErrors.get() == 0, arrived + "/" + customers.count() + " answers on the phones, "
                + replyErrors.get() + " replies refused " + replyErrorSamples));
    }

    private void reply(String api, String token, String conversation, int i, Map<Integer, Long> replied,
                       AtomicLong errors) {
        replied.put(i, System.currentTimeMillis());
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/conversations/" + conversation + "/replies"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "bench-e2e-" + harness.runId() + "-" + i)
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"bench e2e answer " + i + "\",\"fallback\":\"SMS\"}"))
                .build();
        harness.json().client().sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
            if (e != null || r.statusCode() != 202) {
                errors.incrementAndGet();
                if (replyErrorSamples.size() < 3) {
                    replyErrorSamples.add(e != null ? e.toString() : r.statusCode() + " " + r.body());
                }
            }
        });
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }
}
