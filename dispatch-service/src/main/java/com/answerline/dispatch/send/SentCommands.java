package com.answerline.dispatch.send;

import java.util.LinkedHashMap;
import java.util.Map;

import com.answerline.avro.DispatchOutcome;

/**
 * The final outcome of recently sent commands, by command id (the idempotency key). In memory and bounded:
 * it suppresses duplicates within one process (error-handler retries, redelivery after a rebalance), not
 * across a restart. The persistent ledger, written before the acknowledgement, is issue 5.
 */
public class SentCommands {

    private final Map<String, DispatchOutcome> outcomes;

    public SentCommands(int capacity) {
        this.outcomes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, DispatchOutcome> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized DispatchOutcome outcomeOf(String commandId) {
        return outcomes.get(commandId);
    }

    public synchronized void record(String commandId, DispatchOutcome outcome) {
        outcomes.put(commandId, outcome);
    }
}
