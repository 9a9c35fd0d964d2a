package com.answerline.bench.baseline;

import java.io.IOException;

/** How a baseline learns to stop: its caller ({@code stage.BaselineProcess}) closes the baseline's standard input. */
final class StandardInput {

    private StandardInput() {
    }

    /** Runs {@code stop} on a daemon thread of its own once standard input is closed. */
    static void onClose(String name, Runnable stop) {
        Thread stdin = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the caller keeps it open while it wants the baseline
                }
            } catch (IOException e) {
                // closed
            }
            stop.run();
        }, name + "-stdin");
        stdin.setDaemon(true);
        stdin.start();
    }
}
