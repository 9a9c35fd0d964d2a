package com.answerline.bench.faults;

import java.net.ConnectException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.netty.handler.timeout.ReadTimeoutException;
import reactor.netty.http.client.PrematureCloseException;

import com.answerline.bench.load.HttpLoad;

/**
 * What each delivery of a customer's webhook met, by kind, so that a run which gives messages up says which limit
 * they met: ingest shedding load, ingest not ready, the balancer with no instance in rotation, no answer in time, a
 * refused connection, or the harness's own connection pool. Kept per message ({@link Tally}), reported for all
 * messages and for those never accepted ({@link #describe}).
 */
final class Deliveries {

    /** What one delivery met. */
    enum Kind {
        ACCEPTED("200"),
        SHED("503 shed by ingest's admission bound"),
        DIRECTORY_LOADING("503 identity directory loading"),
        KAFKA_UNACKED("503 Kafka did not acknowledge"),
        NO_SERVER("503 from the balancer, no instance in rotation"),
        OTHER_503("503 other"),
        BAD_GATEWAY("502/504 from the balancer"),
        OTHER_STATUS("other status"),
        NO_ANSWER("no answer within the harness's timeout"),
        REFUSED("connection refused"),
        CLOSED("connection closed before the answer"),
        HARNESS_POOL("no free connection of the harness's pool in time"),
        OTHER_ERROR("other error");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private Deliveries() {
    }

    /** The kind of an answer, from its status and, for a 503, from who answered it and why (its body). */
    static Kind of(int status, String body) {
        String text = body == null ? "" : body;
        return switch (status) {
            case 200 -> Kind.ACCEPTED;
            case 503 -> text.contains("urn:answerline:problem:overloaded") ? Kind.SHED
                    : text.contains("directory") ? Kind.DIRECTORY_LOADING
                    : text.contains("event log") ? Kind.KAFKA_UNACKED
                    : text.contains("No server is available") ? Kind.NO_SERVER
                    : Kind.OTHER_503;
            case 502, 504 -> Kind.BAD_GATEWAY;
            default -> Kind.OTHER_STATUS;
        };
    }

    /** The kind of a delivery that got no answer. */
    static Kind of(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ReadTimeoutException || cause instanceof TimeoutException) {
                return Kind.NO_ANSWER;
            }
            if (cause instanceof ConnectException) {
                return Kind.REFUSED;
            }
            if (cause instanceof PrematureCloseException) {
                return Kind.CLOSED;
            }
            if (HttpLoad.waitedForAConnection(cause)) {
                return Kind.HARNESS_POOL;
            }
        }
        return Kind.OTHER_ERROR;
    }

    /** The deliveries of one message, by kind; written by the load's threads. */
    static final class Tally {
        private final AtomicIntegerArray counts = new AtomicIntegerArray(Kind.values().length);

        void add(Kind kind) {
            counts.incrementAndGet(kind.ordinal());
        }

        int count(Kind kind) {
            return counts.get(kind.ordinal());
        }
    }

    /**
     * One line for the report: the deliveries of all messages by kind, then those of the messages never accepted.
     *
     * @param accepted whether a message was ever accepted
     */
    static <M> String describe(Collection<M> messages, Function<M, Tally> tally, Predicate<M> accepted) {
        String line = "deliveries " + format(sum(messages, tally));
        List<M> givenUp = messages.stream().filter(accepted.negate()).toList();
        if (!givenUp.isEmpty()) {
            line += "; of the " + givenUp.size() + " never accepted: " + format(sum(givenUp, tally));
        }
        return line;
    }

    private static <M> Map<Kind, Long> sum(Collection<M> messages, Function<M, Tally> tally) {
        Map<Kind, Long> sums = new EnumMap<>(Kind.class);
        for (M message : messages) {
            Tally t = tally.apply(message);
            for (Kind kind : Kind.values()) {
                int n = t.count(kind);
                if (n > 0) {
                    sums.merge(kind, (long) n, Long::sum);
                }
            }
        }
        return sums;
    }

    private static String format(Map<Kind, Long> sums) {
        return sums.isEmpty() ? "none" : sums.entrySet().stream()
                .map(e -> e.getKey().label + " " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
