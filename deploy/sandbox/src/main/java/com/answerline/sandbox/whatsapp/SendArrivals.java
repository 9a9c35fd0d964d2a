package com.answerline.sandbox.whatsapp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
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
 * first), so the memory stays bounded whatever is sent. Each says whether it asked for Direct Send, so a test can count
 * the provider calls a Direct Send refusal cost.
 */
public final class SendArrivals {

    /**
     * A number's arrivals, oldest first, and the most of them in any one second; then those of them that asked for
     * Direct Send ({@link DirectSend#requested}), whatever the answer.
     */
    public record Report(String phoneNumberId, int count, int maxInAnySecond, List<Instant> arrivals,
            int directSendCount, List<Instant> directSendArrivals) {
    }

    private record Arrival(Instant at, boolean directSend) {
    }

    private final Map<String, Deque<Arrival>> byNumber = new ConcurrentHashMap<>();
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
        record(phoneNumberId, at, false);
    }

    /** As {@link #record(String, Instant)}, saying whether the send asked for Direct Send. */
    public void record(String phoneNumberId, Instant at, boolean directSend) {
        Deque<Arrival> arrivals = byNumber.get(phoneNumberId);
        if (arrivals == null) {
            return;
        }
        synchronized (arrivals) {
            if (arrivals.size() == capacity) {
                arrivals.removeFirst();
            }
            arrivals.addLast(new Arrival(at, directSend));
        }
    }

    /** The number's arrivals at or after {@code since} (all when null); empty for a number that is not configured. */
    public Optional<Report> report(String phoneNumberId, Instant since) {
        Deque<Arrival> arrivals = byNumber.get(phoneNumberId);
        if (arrivals == null) {
            return Optional.empty();
        }
        List<Arrival> sorted;
        synchronized (arrivals) {
            sorted = arrivals.stream().filter(a -> since == null || !a.at().isBefore(since))
                    .sorted(Comparator.comparing(Arrival::at)).toList();
        }
        List<Instant> all = sorted.stream().map(Arrival::at).toList();
        List<Instant> directSends = sorted.stream().filter(Arrival::directSend).map(Arrival::at).toList();
        return Optional.of(new Report(phoneNumberId, all.size(), maxInAnyWindow(all, Duration.ofSeconds(1)), all,
                directSends.size(), directSends));
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
