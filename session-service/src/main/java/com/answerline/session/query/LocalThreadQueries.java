package com.answerline.session.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.stereotype.Component;

import com.answerline.avro.ThreadDirection;
import com.answerline.avro.ThreadMessage;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.thread.ThreadItem;
import com.answerline.session.thread.ThreadKeys;
import com.answerline.session.topology.SessionTopology;

/**
 * Reads conversations' threads from this instance's own thread store (interactive query; the partitions whose active
 * task runs here). A page is one seek to the conversation's newest message (does it exist, is it the caller's
 * tenant's) and one reverse range scan from the cursor: its cost follows the page size, not the thread's length.
 */
@Component
public class LocalThreadQueries {

    private final LocalSessionQueries sessions;

    LocalThreadQueries(LocalSessionQueries sessions) {
        this.sessions = sessions;
    }

    /**
     * A page of the conversation's thread, newest first; empty when the conversation has no thread, or has one of
     * another tenant (the same answer, so ids of other tenants leak nothing).
     *
     * @throws SessionStoreUnavailableException while Streams is starting, restoring or rebalancing
     */
    public Optional<ThreadPage> page(ThreadQuery query) {
        try {
            return page(store(), query);
        } catch (InvalidStateStoreException e) {
            throw new SessionStoreUnavailableException("thread store not queryable: " + e.getMessage());
        }
    }

    /**
     * The reference of a customer's media id in the conversation; empty when no message of the conversation carries
     * it, or the conversation is another tenant's. A scan of the conversation newest first (media are looked up when
     * shown, mostly recent ones), bounded by the thread's {@code max-messages}.
     *
     * @throws SessionStoreUnavailableException while Streams is starting, restoring or rebalancing
     */
    public Optional<MediaReference> media(MediaQuery query) {
        try {
            return media(store(), query);
        } catch (InvalidStateStoreException e) {
            throw new SessionStoreUnavailableException("thread store not queryable: " + e.getMessage());
        }
    }

    /** {@link #page(ThreadQuery)} on a given store (the topology tests read the driver's). */
    public static Optional<ThreadPage> page(ReadOnlyKeyValueStore<String, ThreadMessage> store, ThreadQuery query) {
        String start = ThreadKeys.conversationStart(query.conversationId());
        String end = ThreadKeys.conversationEnd(query.conversationId());
        try (KeyValueIterator<String, ThreadMessage> newest = store.reverseRange(start, end)) {
            if (!newest.hasNext() || !query.tenantId().equals(newest.next().value.getTenantId())) {
                return Optional.empty();
            }
        }
        String before = query.before() == null ? null : start + query.before();
        List<ThreadItem> items = new ArrayList<>();
        String last = null;
        boolean more = false;
        long chars = 0;
        try (KeyValueIterator<String, ThreadMessage> older = store.reverseRange(start, before == null ? end : before)) {
            while (older.hasNext()) {
                KeyValue<String, ThreadMessage> message = older.next();
                if (message.key.equals(before)) {
                    continue; // the cursor's own item was on the previous page
                }
                if (items.size() == query.limit() || (!items.isEmpty() && chars + size(message.value) > PAGE_CHARS)) {
                    more = true;
                    break;
                }
                items.add(ThreadItem.of(message.value));
                chars += size(message.value);
                last = message.key;
            }
        }
        return Optional.of(new ThreadPage(query.conversationId(), items,
                more ? ThreadKeys.cursor(ThreadKeys.sortKeyOf(last)) : null));
    }

    /**
     * The characters of text a page holds at most (besides its first message, which is always on it): a page of 100
     * long messages (texts up to 65,536 characters) would otherwise be megabytes, more than a caller buffers (the
     * gateway's limit, ingest's {@code SessionClient.MAX_PAGE_BYTES}). The page then ends early, with its cursor:
     * the next page has the rest.
     */
    public static final int PAGE_CHARS = 200_000;

    /** The characters a message adds to a page: its text and its details. */
    static long size(ThreadMessage message) {
        long size = message.getText() == null ? 0 : message.getText().length();
        for (Map.Entry<String, String> detail : message.getDetails().entrySet()) {
            size += detail.getKey().length() + detail.getValue().length();
        }
        return size;
    }

    /** {@link #media(MediaQuery)} on a given store. */
    public static Optional<MediaReference> media(ReadOnlyKeyValueStore<String, ThreadMessage> store, MediaQuery query) {
        try (KeyValueIterator<String, ThreadMessage> thread = store.reverseRange(
                ThreadKeys.conversationStart(query.conversationId()), ThreadKeys.conversationEnd(query.conversationId()))) {
            while (thread.hasNext()) {
                ThreadMessage message = thread.next().value;
                if (!query.tenantId().equals(message.getTenantId())) {
                    return Optional.empty();
                }
                Map<String, String> details = message.getDetails();
                if (message.getDirection() == ThreadDirection.INBOUND && query.mediaId().equals(details.get("media_id"))) {
                    return Optional.of(new MediaReference(query.mediaId(),
                            ConversationId.parse(query.conversationId()).phoneNumberId(), details.get("mime_type"),
                            details.get("filename"), size(details.get("file_size")), message.getEntryId()));
                }
            }
        }
        return Optional.empty();
    }

    private ReadOnlyKeyValueStore<String, ThreadMessage> store() {
        return sessions.runningStreams().store(StoreQueryParameters.fromNameAndType(
                SessionTopology.THREAD_STORE, QueryableStoreTypes.keyValueStore()));
    }

    private static Long size(String value) {
        try {
            return value == null ? null : Long.valueOf(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
