package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.schemas.conversation.ConversationId;

/** The idempotency rules of {@link ReplyCommands}: which key counts, the command id it gives, the fingerprint. */
class ReplyCommandsIdempotencyTest {

    private static final ConversationId CONVERSATION = ConversationId.parse("100000000000001:31612345678");

    @Test
    void shouldTakeTheHeaderElseTheClientCommandIdElseNoKey() {
        assertThat(ReplyCommands.idempotencyKey("k-1", null))
                .isEqualTo(new ReplyCommands.IdempotencyKey("k-1", "Idempotency-Key"));
        assertThat(ReplyCommands.idempotencyKey(null, "c-1"))
                .isEqualTo(new ReplyCommands.IdempotencyKey("c-1", "clientCommandId"));
        assertThat(ReplyCommands.idempotencyKey("same", "same"))
                .isEqualTo(new ReplyCommands.IdempotencyKey("same", "Idempotency-Key"));
        assertThat(ReplyCommands.idempotencyKey(null, null)).isNull();
    }

    @Test
    void shouldRefuseAHeaderAndAClientCommandIdThatDiffer() {
        assertThatThrownBy(() -> ReplyCommands.idempotencyKey("k-1", "k-2"))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("clientCommandId"));
    }

    @Test
    void shouldRefuseBlankOrOverlongKeysNamingWhereTheyCameFrom() {
        assertThatThrownBy(() -> ReplyCommands.idempotencyKey(" ", null))
                .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("Idempotency-Key"));
        assertThatThrownBy(() -> ReplyCommands.idempotencyKey(null, "x".repeat(256)))
                .satisfies(e -> assertThat(((InvalidRequestException) e).field()).isEqualTo("clientCommandId"));
        assertThat(ReplyCommands.idempotencyKey(null, "x".repeat(255))).isNotNull();
    }

    @Test
    void shouldDeriveTheSameCommandIdForTheSameKeyOnlyWithinTenantAgentAndConversation() {
        var key = new ReplyCommands.IdempotencyKey("k-1", "Idempotency-Key");
        String id = ReplyCommands.commandId("demo", "agent-7", CONVERSATION, key);
        assertThat(ReplyCommands.commandId("demo", "agent-7", CONVERSATION, key)).isEqualTo(id);
        // The same key from the body names the same command
        assertThat(ReplyCommands.commandId("demo", "agent-7", CONVERSATION, new ReplyCommands.IdempotencyKey("k-1", "clientCommandId")))
                .isEqualTo(id);
        assertThat(ReplyCommands.commandId("demo", "agent-8", CONVERSATION, key)).isNotEqualTo(id);
        assertThat(ReplyCommands.commandId("other", "agent-7", CONVERSATION, key)).isNotEqualTo(id);
        assertThat(ReplyCommands.commandId("demo", "agent-7", ConversationId.parse("100000000000001:31612345679"), key))
                .isNotEqualTo(id);
        assertThat(ReplyCommands.commandId("demo", "agent-7", CONVERSATION, null))
                .isNotEqualTo(ReplyCommands.commandId("demo", "agent-7", CONVERSATION, null));
    }

    @Test
    void shouldFingerprintWhatTheCommandCarriesNotHowTheJsonWasSpelled() {
        String plain = ReplyCommands.fingerprint(new ReplyRequest("hi", null, null));
        assertThat(plain).matches("[0-9a-f]{64}");
        // Absent fallback = AUTO, case and spaces of the policy do not matter, nor the key in the body
        assertThat(ReplyCommands.fingerprint(new ReplyRequest("hi", null, " auto ", "c-1"))).isEqualTo(plain);
        assertThat(ReplyCommands.fingerprint(new ReplyRequest("hi", null, "SMS"))).isNotEqualTo(plain);
        assertThat(ReplyCommands.fingerprint(new ReplyRequest("hi!", null, null))).isNotEqualTo(plain);
        // Blank text beside a template = no text; missing parameters = none
        var template = new ReplyRequest.TemplateRequest("closed_hours", "en", null);
        assertThat(ReplyCommands.fingerprint(new ReplyRequest("  ", template, null)))
                .isEqualTo(ReplyCommands.fingerprint(new ReplyRequest(null, new ReplyRequest.TemplateRequest("closed_hours", "en", List.of()), null)));
    }

    @Test
    void shouldNotConfuseTemplateParametersThatOnlyRegroupTheSameCharacters() {
        var split = new ReplyRequest.TemplateRequest("t", "en", Arrays.asList("a|b", "c"));
        var regrouped = new ReplyRequest.TemplateRequest("t", "en", Arrays.asList("a", "b|c"));
        var language = new ReplyRequest.TemplateRequest("t", "nl", Arrays.asList("a|b", "c"));
        String fingerprint = ReplyCommands.fingerprint(new ReplyRequest(null, split, null));
        assertThat(ReplyCommands.fingerprint(new ReplyRequest(null, regrouped, null))).isNotEqualTo(fingerprint);
        assertThat(ReplyCommands.fingerprint(new ReplyRequest(null, language, null))).isNotEqualTo(fingerprint);
        // A text equal to the template's name is still a different request
        assertThat(ReplyCommands.fingerprint(new ReplyRequest("t", null, null)))
                .isNotEqualTo(ReplyCommands.fingerprint(new ReplyRequest(null, new ReplyRequest.TemplateRequest("t", "en", List.of()), null)));
    }

    @Test
    void shouldFingerprintTheUtilityMarkAndKeepTheFingerprintOfAnUnmarkedRequestAsItWasBeforeCategories() {
        // Given a request without a category, whose fingerprint acceptances written before categories existed hold
        String unmarked = ReplyCommands.fingerprint(new ReplyRequest("hi", null, null));

        // Then it is still that value (SHA-256 of "15:reply-request/1|2:hi|~|4:AUTO"): a replay across the upgrade
        // is a replay, not a 422
        assertThat(unmarked).isEqualTo("d8cb3334adae92b6fe9116f836fa36baca09a7cd3dc93b7a243fe56202983daf");
        // And the mark is part of what was asked (spelled any way), so the same key with and without it is another request
        String marked = ReplyCommands.fingerprint(new ReplyRequest("hi", null, null, null, "UTILITY"));
        assertThat(marked).isNotEqualTo(unmarked)
                .isEqualTo(ReplyCommands.fingerprint(new ReplyRequest("hi", null, "auto", "c-1", " utility ")));
    }
}
