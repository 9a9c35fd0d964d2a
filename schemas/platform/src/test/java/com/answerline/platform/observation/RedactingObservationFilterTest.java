package com.answerline.platform.observation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter on a registry: what a handler (the tracing one, which exports) sees when the observation stops. */
class RedactingObservationFilterTest {

    /** What a handler is given when an observation stops. */
    private final List<Observation.Context> stopped = new ArrayList<>();
    private final ObservationRegistry registry = ObservationRegistry.create();

    @BeforeEach
    void registryWithTheFilter() {
        registry.observationConfig().observationFilter(new RedactingObservationFilter())
                .observationHandler(new ObservationHandler<>() {
                    @Override
                    public void onStop(Observation.Context context) {
                        stopped.add(context);
                    }

                    @Override
                    public boolean supportsContext(Observation.Context context) {
                        return true;
                    }
                });
    }

    @Test
    void shouldHandHandlersAStoppedObservationWithoutTheCustomersNumberOrBsuid() {
        // When an observation with the customer in its name and values stops
        Observation.createNotStarted("http.server.requests", registry)
                .contextualName("http get /api/v1/conversations/100000000000001:15551230001")
                .lowCardinalityKeyValue("uri", "/api/v1/conversations/{conversationId}")
                .highCardinalityKeyValue("http.url", "/api/v1/conversations/100000000000001:15551230001?text=hi")
                .highCardinalityKeyValue("customer.bsuid", "US.13491208655302741918")
                .start().stop();

        // Then
        assertThat(stopped).singleElement().satisfies(context -> {
            assertThat(context.getContextualName()).isEqualTo("http get /api/v1/conversations/{conversationId}");
            assertThat(context.getAllKeyValues()).extracting(KeyValue::getValue).containsExactlyInAnyOrder(
                    "/api/v1/conversations/{conversationId}", "/api/v1/conversations/{conversationId}", "{bsuid}");
        });
    }
}
