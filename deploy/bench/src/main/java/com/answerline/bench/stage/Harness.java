package com.answerline.bench.stage;

import java.time.Duration;

import com.answerline.bench.kafka.Kafka;
import com.answerline.bench.load.HttpLoad;
import com.answerline.bench.report.Report;
import com.answerline.bench.stack.Endpoints;
import com.answerline.bench.traffic.Json;
import com.answerline.bench.traffic.Sandbox;

/**
 * What every stage works with: the stack's endpoints, Kafka and HTTP clients, the run id (which keeps one run's
 * customers apart from another's on the same stack) and the report the stage adds its figures and checks to.
 */
public final class Harness implements AutoCloseable {

    private final Endpoints endpoints;
    private final Kafka kafka;
    private final Json json = new Json();
    private final Sandbox sandbox;
    private final HttpLoad http;
    private final long runId;
    private final Report report;
    private final String serviceJavaOptions;

    public Harness(Endpoints endpoints, long runId, Report report, String serviceJavaOptions) {
        this.endpoints = endpoints;
        this.kafka = new Kafka(endpoints.kafka(), endpoints.registry());
        this.sandbox = new Sandbox(endpoints.sandbox(), json);
        // 256 connections: the open model at 10,000/s with a few ms per answer needs ~50 in flight; headroom for stalls.
        this.http = new HttpLoad(256, 2, Duration.ofSeconds(10));
        this.runId = runId;
        this.report = report;
        this.serviceJavaOptions = serviceJavaOptions;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    public Kafka kafka() {
        return kafka;
    }

    public Json json() {
        return json;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public HttpLoad http() {
        return http;
    }

    public long runId() {
        return runId;
    }

    public Report report() {
        return report;
    }

    /** JVM options the services run with, for processes the harness starts to compare with them. */
    public String serviceJavaOptions() {
        return serviceJavaOptions;
    }

    /** Logs progress on stderr, so stdout carries only the report. */
    public void progress(String message) {
        System.err.printf("[bench %tT] %s%n", System.currentTimeMillis(), message);
    }

    @Override
    public void close() {
        http.close();
        kafka.close();
    }
}
