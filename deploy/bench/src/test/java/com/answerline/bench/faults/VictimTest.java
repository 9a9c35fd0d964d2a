package com.answerline.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class VictimTest {

    private static final String FIRST = "session-service-429035a3-a83a-4f46-98cc-2f2594625221-StreamThread-1-consumer";
    private static final String SECOND = "session-service-7d1c2b00-0000-4000-8000-000000000002-StreamThread-1-consumer";

    @Test
    void shouldReadTheStreamThreadConsumersOfAScrape() {
        String scrape = """
                kafka_consumer_fetch_total{client_id="%s",kafka_version="4.1.2"} 12.0
                kafka_consumer_fetch_total{client_id="%s",kafka_version="4.1.2"} 3.0
                kafka_producer_record_send_total{client_id="session-service-429035a3-a83a-4f46-98cc-2f2594625221-StreamThread-1-producer"} 1.0
                kafka_consumer_fetch_total{client_id="session-service-429035a3-a83a-4f46-98cc-2f2594625221-StateUpdater-1-restore-consumer"} 1.0
                """.formatted(FIRST, FIRST);

        assertThat(Victim.streamThreadClients(scrape)).containsExactly(FIRST);
    }

    @Test
    void shouldCountOnlyThePartitionsOfTheInstancesOwnMembers() {
        Map<String, Set<TopicPartition>> members = Map.of(
                FIRST + "-5f1e7a4c-0c4e-4a8e-9a55-3a1f0e0b9c01", Set.of(tp(0), tp(1), tp(2), tp(3)),
                SECOND + "-8b2d5e6f-1d2e-4b3c-8d4e-5f6a7b8c9d02", Set.of(tp(4), tp(5)));

        assertThat(Victim.owned(members, Set.of(FIRST))).isEqualTo(4);
        assertThat(Victim.owned(members, Set.of(SECOND))).isEqualTo(2);
        assertThat(Victim.owned(members, Set.of())).isZero();
    }

    private static TopicPartition tp(int partition) {
        return new TopicPartition("inbound-messages", partition);
    }
}
