package com.answerline.ingest.client;

import java.time.Duration;

/**
 * The filters of session-service's conversation list, already validated by the gateway; null = not filtered.
 *
 * @param window open, expiring or closed
 * @param within with expiring: windows that end within this long
 */
public record SessionQuery(String tenantId, String window, Duration within, String assignee, boolean unassigned,
                           int limit, String cursor) {
}
