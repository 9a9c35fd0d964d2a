package com.answerline.sandbox.whatsapp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each Cloud API send reached the sandbox, per business number (phone_number_id), whatever the answer: WhatsApp
 * counts a number's throughput (80 messages/s by default, 130429 above it) on what reaches it. Read-only for the
 * outside ({@code GET /sandbox/whatsapp/sends}): the proof that dispatch instances together keep a number's limit.
 *
 * <p>Only configured business numbers are recorded, each at most {@code capacity} arrivals (the oldest forgotten
 * first), so the memory stays bounded whatever is sent.
 */
public final class SendArrivals {

    /** A number's arrivals, oldest first, and the most of them in any one second. */
    public record Report(String phoneNumberId, int count, int maxInAnySecond, List<Instant> arrivals) {
    }

    private final Map<String, Deque<Instant>> byNumber = new ConcurrentHashMap<>();
    private final int capacity;

    public SendArrivals(Collection<String> phoneNumberIds, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        phoneNumberIds.forEach(id -> byNumber.put(id, new ArrayDeque<>()));
        this.capacity = capacity;
    }

    /** A send to {@code phoneNumberId} arrived at {@code at}; ignored for a number that is not configured. */
    public void record(String phoneNumberId, Instant at) {
        Deque<Instant> arrivals = byNumber.get(phoneNumberId);
        if (arrivals == null) {
            return;
        }
        synchronized (arrivals) {
            if (arrivals.size() == capacity) {
                arrivals.removeFirst();
            }
            arrivals.addLast(at);
        }
    }

    /** The number's arrivals at or after {@code since} (all when null); empty for a number that is not configured. */
    public Optional<Report> report(String phoneNumberId, Instant since) {
        Deque<Instant> arrivals = byNumber.get(phoneNumberId);
        if (arrivals == null) {
            return Optional.empty();
        }
        List<Instant> sorted;
        synchronized (arrivals) {
            sorted = arrivals.stream().filter(at -> since == null || !at.isBefore(since)).sorted().toList();
        }
        return Optional.of(new Report(phoneNumberId, sorted.size(), maxInAnyWindow(sorted, Duration.ofSeconds(1)), sorted));
    }

    /** Forgets every arrival (the sandbox's reset). */
    public void reset() {
        byNumber.values().forEach(arrivals -> {
            synchronized (arrivals) {
                arrivals.clear();
            }
        });
    }

    /** The most instants of {@code sorted} in any half-open window [t, t + window) starting at one of them. */
    static int maxInAnyWindow(List<Instant> sorted, Duration window) {
        int max = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            Instant limit = sorted.get(start).plus(window);
            while (end < sorted.size() && sorted.get(end).isBefore(limit)) {
                end++;
            }
            max = Math.max(max, end - start);
        }
        return max;
    }
}
