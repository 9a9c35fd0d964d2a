package com.answerline.bench.report;

/**
 * A correctness check made from the data after a stage (every accepted webhook on Kafka, every command with its
 * outcome, ...). Unlike figures, a failed check fails the run: a benchmark of a system that loses messages
 * measures nothing.
 */
public record Check(String stage, String what, boolean passed, String detail) {

    public static Check of(String stage, String what, boolean passed, String detail) {
        return new Check(stage, what, passed, detail);
    }

    /** {@code stage: what (detail)}, as the report prints it. */
    public String describe() {
        return stage + ": " + what + " (" + detail + ")";
    }
}
