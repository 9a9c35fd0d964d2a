package com.answerline.ingest.events;

/**
 * One agent, or one tenant, already holds its maximum of event streams on this instance: answered 429 naming the cap,
 * so that the others' streams are not taken by one token (the instance's own maximum is {@link TooManyStreamsException}).
 */
public class StreamCapReachedException extends RuntimeException {

    private final StreamCounts.Cap cap;
    private final int max;

    StreamCapReachedException(StreamCounts.Cap cap, int max) {
        super((cap == StreamCounts.Cap.AGENT ? "this agent" : "this tenant") + " already has its maximum of " + max
                + " event streams open on this instance; close one (another tab or window) or retry later",
                null, false, false);
        this.cap = cap;
        this.max = max;
    }

    /** {@code agent} or {@code tenant}: the cap's name in the problem and the metric label. */
    public String cap() {
        return cap.label();
    }

    public int max() {
        return max;
    }
}
