package com.answerline.bench.stage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.fasterxml.jackson.databind.JsonNode;

import com.answerline.avro.InboundMessage;
import com.answerline.bench.load.Latencies;
import com.answerline.bench.report.Check;
import com.answerline.bench.report.Figure;
import com.answerline.bench.traffic.Customers;
import com.answerline.bench.traffic.Json;
import com.answerline.schemas.topic.Topics;

/**
 * The thread read under load (issue 16: "a thread read of a 500-message conversation answers in p99 &lt; 50 ms while
 * the benchmark's ingest stage runs"). Before the stage, one conversation gets {@value #MESSAGES} customer messages
 * (produced to {@code inbound-messages}, as an upstream system may) and is read through the gateway until all are in
 * its thread; while the stage's load runs, one agent reads its first page ({@value #PAGE} messages, the gateway's
 * default) again and again, {@value #PAUSE_MILLIS} ms apart, each read timed from request to the whole body. Reported
 * as a check of the ingest stage (every read answered 200 with a full page, at least one read) and a figure whose
 * target is p99 below {@value #P99_TARGET_MILLIS} ms.
 */
public final class ThreadReadProbe {

    static final int MESSAGES = 500;
    static final int PAGE = 50;
    static final long PAUSE_MILLIS = 20;
    static final double P99_TARGET_MILLIS = 50;

    private final Harness harness;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Latencies latencies = new Latencies();
    private final AtomicLong failures = new AtomicLong();
    private final StringBuilder failureSample = new StringBuilder();
    private volatile boolean reading;
    private Thread reader;
    private String token;
    private String firstPage;
    private String seedProblem;

    public ThreadReadProbe(Harness harness) {
        this.harness = harness;
    }

    /** Writes the conversation's messages and waits (up to {@code timeout}) until the gateway shows all of them. */
    public void seed(Duration timeout) {
        String phone = new Customers(harness.runId() * 4 + 3, 1).phone(0);
        String conversation = Conversations.DEMO_NUMBER + ":" + phone;
        String prefix = "wamid.bench.thread." + harness.runId() + ".";
        token = harness.sandbox().agentToken("bench-agent", "demo");
        firstPage = harness.endpoints().ingest() + "/api/v1/conversations/" + conversation + "/messages";
        harness.progress("thread read: seeding a conversation with " + MESSAGES + " messages");
        Instant first = Instant.now().minusSeconds(MESSAGES);
        try (KafkaProducer<String, Object> producer = harness.kafka().avroProducer()) {
            for (int m = 0; m < MESSAGES; m++) {
                InboundMessage message = FoldStage.message(Conversations.DEMO_NUMBER, phone, prefix + m,
                        first.plusSeconds(m));
                producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), conversation, message));
            }
            producer.flush();
        }
        String newest = "in:" + prefix + (MESSAGES - 1);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Read read = read(firstPage + "?limit=1");
            if (read.status() == 200 && read.body().contains("\"id\":\"" + newest + "\"")) {
                seedProblem = countProblem();
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
        }
        seedProblem = "the newest seeded message was not in the thread within " + timeout;
    }

    /** Starts reading the first page in a loop, after a few unrecorded reads (the gateway's and session's JIT). */
    public void start() {
        for (int i = 0; i < 200 && seedProblem == null; i++) {
            read(firstPage);
        }
        reading = true;
        reader = new Thread(() -> {
            while (reading) {
                long start = System.nanoTime();
                Read read = read(firstPage);
                long took = System.nanoTime() - start;
                if (read.status() == 200 && items(read.body()) == PAGE) {
                    latencies.recordNanos(took);
                } else {
                    failed(read.status() + " " + read.body().substring(0, Math.min(120, read.body().length())));
                }
                LockSupport.parkNanos(Duration.ofMillis(PAUSE_MILLIS).toNanos());
            }
        }, "bench-thread-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Stops reading and adds the figures and the check to the ingest stage. */
    public void stopAndReport() {
        reading = false;
        if (reader != null) {
            try {
                reader.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double p99 = latencies.percentileMillis(99);
        long reads = latencies.count();
        String what = "thread read of a " + MESSAGES + "-message conversation (first page of " + PAGE + ") while ingest runs";
        harness.report().add(Figure.of(IngestStage.STAGE, what + ", p99", p99, "ms").below(P99_TARGET_MILLIS));
        harness.report().add(Figure.of(IngestStage.STAGE, what + ", p50", latencies.percentileMillis(50), "ms"));
        harness.report().add(Figure.of(IngestStage.STAGE, what + ", reads", reads, "req"));
        // Correctness only (every read a full page, the seed complete, reads made): the p99 is a figure with its target
        // above, and a missed target never fails the benchmark (nor the suite's smoke run on a loaded machine).
        boolean passed = seedProblem == null && reads > 0 && failures.get() == 0;
        harness.report().add(Check.of(IngestStage.STAGE, what + ": every read a full page of the seeded thread", passed,
                String.format(java.util.Locale.ROOT, "%d reads, p99 %.1f ms, max %.1f ms, %d failed%s%s", reads, p99,
                        latencies.maxMillis(), failures.get(), failureSample.isEmpty() ? "" : " (" + failureSample + ")",
                        seedProblem == null ? "" : "; seed: " + seedProblem)));
    }

    /** Null when paging through the whole thread gives every seeded message once, else what is wrong. */
    private String countProblem() {
        String next = firstPage + "?limit=100";
        int total = 0;
        for (int pages = 0; next != null && pages < 20; pages++) {
            Read read = read(next);
            if (read.status() != 200) {
                return "a page answered " + read.status();
            }
            JsonNode page = parse(read.body());
            total += page.path("items").size();
            next = page.path("next").isTextual() ? harness.endpoints().ingest() + page.path("next").asText() : null;
        }
        return total == MESSAGES ? null : "the thread holds " + total + " messages, not " + MESSAGES;
    }

    private record Read(int status, String body) {
    }

    private Read read(String url) {
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Read(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Read(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Read(-1, "interrupted");
        }
    }

    private synchronized void failed(String sample) {
        if (failures.incrementAndGet() <= 3) {
            failureSample.append(failureSample.isEmpty() ? "" : "; ").append(sample);
        }
    }

    private static int items(String body) {
        return parse(body).path("items").size();
    }

    private static JsonNode parse(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
