package com.answerline.bench.stack;

import java.util.Map;

/**
 * Where the local stack listens ({@code webhooks}: ingest's listener for the providers' webhooks): the same
 * {@code ANSWERLINE_*_PORT} variables and defaults as {@code deploy/local/stack}, always on 127.0.0.1. Each service's
 * actuator is on its management port; session's and dispatch's APIs take agents' bearer tokens only.
 */
public record Endpoints(String kafka, String registry, String ingest, String webhooks, String ingestManagement,
                        String session, String sessionManagement, String dispatch, String dispatchManagement,
                        String sandbox) {

    public static final String HOST = "127.0.0.1";

    public static Endpoints fromEnvironment() {
        return from(System.getenv());
    }

    public static Endpoints from(Map<String, String> env) {
        return new Endpoints(
                HOST + ":" + port(env, "ANSWERLINE_KAFKA_PORT", 9092),
                "http://" + HOST + ":" + port(env, "ANSWERLINE_REGISTRY_PORT", 8085) + "/apis/ccompat/v7",
                http(env, "ANSWERLINE_INGEST_PORT", 8081),
                http(env, "ANSWERLINE_INGEST_WEBHOOK_PORT", 8084),
                http(env, "ANSWERLINE_INGEST_MANAGEMENT_PORT", 9081),
                http(env, "ANSWERLINE_SESSION_PORT", 8082),
                http(env, "ANSWERLINE_SESSION_MANAGEMENT_PORT", 9082),
                http(env, "ANSWERLINE_DISPATCH_PORT", 8083),
                http(env, "ANSWERLINE_DISPATCH_MANAGEMENT_PORT", 9083),
                http(env, "ANSWERLINE_SANDBOX_PORT", 8089));
    }

    /**
     * The same stack as its callers reach it behind the balancer ({@code deploy/local/stack up --balancer}): ingest's
     * API and webhooks at the balancer's ports ({@code ANSWERLINE_BALANCER_PORT}, {@code _WEBHOOK_PORT}), which hand
     * each request to a live ingest instance; everything else as it is.
     */
    public Endpoints behindBalancer(Map<String, String> env) {
        return new Endpoints(kafka, registry, http(env, "ANSWERLINE_BALANCER_PORT", 8080),
                http(env, "ANSWERLINE_BALANCER_WEBHOOK_PORT", 8088), ingestManagement, session, sessionManagement,
                dispatch, dispatchManagement, sandbox);
    }

    private static String http(Map<String, String> env, String variable, int defaultPort) {
        return "http://" + HOST + ":" + port(env, variable, defaultPort);
    }

    static int port(Map<String, String> env, String variable, int defaultPort) {
        String value = env.get(variable);
        return value == null || value.isBlank() ? defaultPort : Integer.parseInt(value.trim());
    }
}
