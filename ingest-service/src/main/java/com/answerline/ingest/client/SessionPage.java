package com.answerline.ingest.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One page of session-service's conversation list; {@code nextCursor} null on the last page. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionPage(List<SessionView> items, String nextCursor) {

    public SessionPage {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
