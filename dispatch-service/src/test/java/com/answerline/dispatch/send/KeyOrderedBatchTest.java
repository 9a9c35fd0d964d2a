package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KeyOrderedBatchTest {

    record Item(String key, int n) {
    }

    final ExecutorService workers = Executors.newFixedThreadPool(4);
    final KeyOrderedBatch<Item> batch = new KeyOrderedBatch<>(workers, Item::key);

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
}
