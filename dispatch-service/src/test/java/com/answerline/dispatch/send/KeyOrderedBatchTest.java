package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyOrderedBatchTest {

    record Item(String key, int n) {
    }

    final ExecutorService workers = Executors.newFixedThreadPool(4);
    final KeyOrderedBatch<Item> batch = new KeyOrderedBatch<>(workers, Item::key, item -> "one lane",
            Duration.ofMillis(10));

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void shouldKeepEachKeysOrderAndRunEveryRecord() {
        List<Item> items = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            items.add(new Item("k" + (n % 7), n));
        }
        List<Item> handled = Collections.synchronizedList(new ArrayList<>());

        Optional<KeyOrderedBatch.Failure> failure = batch.run(items, handled::add);

        assertThat(failure).isEmpty();
        assertThat(handled).hasSameElementsAs(items);
        for (int k = 0; k < 7; k++) {
            String key = "k" + k;
            assertThat(handled.stream().filter(i -> i.key().equals(key)).map(Item::n).toList()).isSorted();
        }
    }

    @Test
    void shouldStopAKeyAtItsFailureAndReportTheEarliestFailedRecord() {
        List<Item> items = List.of(new Item("a", 0), new Item("b", 1), new Item("a", 2), new Item("b", 3),
                new Item("a", 4), new Item("c", 5));
        List<Item> handled = Collections.synchronizedList(new ArrayList<>());

        Optional<KeyOrderedBatch.Failure> failure = batch.run(items, item -> {
            if (item.n() == 2 || item.n() == 3) {
                throw new IllegalStateException("broker gone for " + item.n());
            }
            handled.add(item);
        });

        assertThat(failure).hasValueSatisfying(f -> {
            assertThat(f.index()).isEqualTo(2);
            assertThat(f.cause()).hasMessage("broker gone for 2");
        });
        // a's record after its failure never ran; the other keys ran up to their own failure or to the end
        assertThat(handled).containsExactlyInAnyOrder(items.get(0), items.get(1), items.get(5));
    }

    @Test
    void shouldTreatRecordsWithoutKeyAsIndependent() {
        List<Item> items = List.of(new Item(null, 0), new Item(null, 1));
        List<Item> handled = Collections.synchronizedList(new ArrayList<>());

        Optional<KeyOrderedBatch.Failure> failure = batch.run(items, item -> {
            if (item.n() == 0) {
                throw new IllegalArgumentException("bad");
            }
            handled.add(item);
        });

        assertThat(failure).hasValueSatisfying(f -> assertThat(f.index()).isZero());
        assertThat(handled).containsExactly(items.get(1));
    }

    @Test
    void shouldReportWhichRecordsAreDoneWhileAKeyStillRuns() {
        // Given a batch whose key a waits (until its progress is reported) on its first record
        List<Item> items = List.of(new Item("a", 0), new Item("b", 1), new Item("a", 2), new Item("c", 3));
        CountDownLatch reported = new CountDownLatch(1);
        List<List<Integer>> reports = Collections.synchronizedList(new ArrayList<>());
        Thread caller = Thread.currentThread();
        List<Thread> reportingThreads = Collections.synchronizedList(new ArrayList<>());

        // When it runs, the progress reports the done records once b and c are done
        Optional<KeyOrderedBatch.Failure> failure = batch.run(items, item -> {
            if (item.n() == 0 && !reported.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no progress was reported while a ran");
            }
        }, done -> {
            reportingThreads.add(Thread.currentThread());
            List<Integer> doneNow = IntStream.range(0, items.size()).filter(done).boxed().toList();
            reports.add(doneNow);
            if (doneNow.containsAll(List.of(1, 3))) {
                reported.countDown();
            }
        });

        // Then: a's records ran after the report that showed b and c done and a not yet, on the caller's thread
        assertThat(failure).isEmpty();
        assertThat(reports).contains(List.of(1, 3));
        assertThat(reports).allSatisfy(report -> assertThat(report).doesNotContain(0, 2));
        assertThat(reportingThreads).containsOnly(caller);
    }

    @Test
    void shouldNotReportABatchThatEndsBeforeItsFirstReport() {
        KeyOrderedBatch<Item> slowReports = new KeyOrderedBatch<>(workers, Item::key, item -> "one lane",
                Duration.ofMinutes(1));
        List<Item> items = List.of(new Item("a", 0), new Item("b", 1));
        List<Item> handled = Collections.synchronizedList(new ArrayList<>());

        Optional<KeyOrderedBatch.Failure> failure = slowReports.run(items, handled::add, done -> {
            throw new AssertionError("reported a batch done in time");
        });

        assertThat(failure).isEmpty();
        assertThat(handled).hasSameElementsAs(items);
    }

    @Test
    void shouldStartKeysLaneByLaneSoThatNoLaneWaitsForTheLanesPolledBeforeIt() {
        // Given one worker, and a poll with three keys of lane A before two of lane B (the lane: the key's first letter)
        ExecutorService oneWorker = Executors.newSingleThreadExecutor();
        try {
            KeyOrderedBatch<Item> lanes = new KeyOrderedBatch<>(oneWorker, Item::key, item -> item.key().charAt(0),
                    Duration.ofMinutes(1));
            List<Item> items = List.of(new Item("a1", 0), new Item("a2", 1), new Item("a3", 2), new Item("b1", 3),
                    new Item("b2", 4), new Item("a1", 5));
            List<Integer> handled = Collections.synchronizedList(new ArrayList<>());

            Optional<KeyOrderedBatch.Failure> failure = lanes.run(items, item -> handled.add(item.n()));

            // Then the keys started each lane's first, then each lane's second, ...: a1 (both its records), b1, a2, b2, a3
            assertThat(failure).isEmpty();
            assertThat(handled).containsExactly(0, 5, 3, 1, 4, 2);
        } finally {
            oneWorker.shutdownNow();
        }
    }
}
