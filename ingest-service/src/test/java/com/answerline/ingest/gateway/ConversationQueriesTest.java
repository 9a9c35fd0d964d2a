package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.answerline.ingest.client.SessionQuery;
import com.answerline.ingest.http.InvalidRequestException;

class ConversationQueriesTest {

    static ConversationQueries.Params params(String window, String within, String assignee, String unassigned,
                                             String limit, String cursor) {
        return new ConversationQueries.Params(window, within, assignee, unassigned, limit, cursor);
    }

    @Test
    void shouldDefaultToTwentyOfEveryConversationOfTheTokensTenant() {
        SessionQuery query = ConversationQueries.sessionQuery(params(null, null, null, null, null, null), "demo", "agent-7");

        assertThat(query).isEqualTo(new SessionQuery("demo", null, null, null, false, 20, null));
    }

    @Test
    void shouldResolveMeToTheCallerAndKeepTheFilters() {
        SessionQuery query = ConversationQueries.sessionQuery(
                params("Expiring", "PT1H", "me", "false", "100", "c-2"), "demo", "agent-7");

        assertThat(query).isEqualTo(new SessionQuery("demo", "expiring", Duration.ofHours(1), "agent-7", false, 100, "c-2"));
    }

    @Test
    void shouldNameEachBadParameter() {
        assertField(params(null, null, null, null, "0", null), "limit");
        assertField(params(null, null, null, null, "101", null), "limit");
        assertField(params(null, null, null, null, "ten", null), "limit");
        assertField(params("soon", null, null, null, null, null), "window");
        assertField(params("open", "PT1H", null, null, null, null), "within");
        assertField(params("expiring", "1h", null, null, null, null), "within");
        assertField(params("expiring", "PT0S", null, null, null, null), "within");
        assertField(params("expiring", "PT73H", null, null, null, null), "within");
        assertField(params(null, null, "x".repeat(129), null, null, null), "assignee");
        assertField(params(null, null, null, "yes", null, null), "unassigned");
        assertField(params(null, null, "me", "true", null, null), "unassigned");
        assertField(params(null, null, null, null, null, "c".repeat(1025)), "cursor");
    }

    @Test
    void shouldLinkTheNextPageWithTheAgentsOwnParametersAndTheEncodedCursor() {
        ConversationQueries.Params params = params("expiring", "PT1H", "me", null, "5", null);

        assertThat(ConversationQueries.nextLink(params, "a+b/c=&d"))
                .isEqualTo("/api/v1/conversations?window=expiring&within=PT1H&assignee=me&limit=5&cursor=a%2Bb%2Fc%3D%26d");
        assertThat(ConversationQueries.nextLink(params, null)).isNull();
    }

    @Test
    void shouldPassADraftOfAtMostAReplysLength() {
        assertThat(ConversationQueries.draft(null)).isNull();
        assertThat(ConversationQueries.draft("  ")).isNull();
        assertThat(ConversationQueries.draft("👍".repeat(ReplyCommands.MAX_TEXT_LENGTH))).hasSize(2 * ReplyCommands.MAX_TEXT_LENGTH);
        assertThatThrownBy(() -> ConversationQueries.draft("a".repeat(ReplyCommands.MAX_TEXT_LENGTH + 1)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("text"));
    }

    @Test
    void shouldPreviewTheTenantsPolicyUnlessAnotherIsAskedFor() {
        assertThat(ConversationQueries.fallback(null)).isEqualTo("AUTO");
        assertThat(ConversationQueries.fallback("template_then_hold")).isEqualTo("TEMPLATE_THEN_HOLD");
        assertThat(ConversationQueries.fallback("direct_send")).isEqualTo("DIRECT_SEND");
        assertThatThrownBy(() -> ConversationQueries.fallback("fax"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("fallback"));
    }

    @Test
    void shouldPreviewTheDraftAsMarkedUtilityOnlyWhenAskedAndNameAnyOtherCategory() {
        assertThat(ConversationQueries.category(null)).isNull();
        assertThat(ConversationQueries.category(" ")).isNull();
        assertThat(ConversationQueries.category("utility")).isEqualTo("UTILITY");
        for (String other : new String[] {"MARKETING", "UNSPECIFIED", "utilities"}) {
            assertThatThrownBy(() -> ConversationQueries.category(other))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("category"));
        }
    }

    private static void assertField(ConversationQueries.Params params, String field) {
        assertThatThrownBy(() -> ConversationQueries.sessionQuery(params, "demo", "agent-7"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
    }
}
