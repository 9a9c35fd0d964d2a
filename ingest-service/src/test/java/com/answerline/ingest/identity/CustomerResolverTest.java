package com.answerline.ingest.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.answerline.avro.CustomerIdentity;
import com.answerline.avro.IdentifierKind;
import com.answerline.schemas.topic.Topics;

class CustomerResolverTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String BUSINESS = "100000000000001";

    @Test
    void shouldCollectTheNewIdentifiersAsCustomerIdentityRecordsKeyedByBusinessAndIdentifier() {
        // Given an empty directory
        var resolver = new CustomerResolver(key -> Optional.empty());
        // When a new customer writes with phone and BSUID
        var conversation = resolver.resolve("demo", BUSINESS, "31612345678", "NL.1349", T0);
        // Then both identifiers are to be written, pointing at the new conversation
        assertThat(conversation.toString()).isEqualTo("100000000000001:31612345678");
        assertThat(resolver.records()).extracting(r -> r.key())
                .containsExactly("100000000000001:31612345678", "100000000000001:NL.1349");
        assertThat(resolver.records()).allSatisfy(r -> {
            assertThat(r.topic()).isEqualTo(Topics.CUSTOMER_IDENTITIES);
            assertThat(r.timestamp()).isEqualTo(T0);
            CustomerIdentity identity = r.value();
            assertThat(identity.getTenantId()).isEqualTo("demo");
            assertThat(identity.getPhoneNumberId()).isEqualTo(BUSINESS);
            assertThat(identity.getConversationId()).isEqualTo("100000000000001:31612345678");
            assertThat(identity.getFirstSeenAt()).isEqualTo(T0);
        });
        assertThat(resolver.records()).extracting(r -> r.value().getKind())
                .containsExactly(IdentifierKind.PHONE, IdentifierKind.BSUID);
    }

    @Test
    void shouldTreatIdentifiersCollectedEarlierInTheSameRequestAsKnown() {
        var resolver = new CustomerResolver(key -> Optional.empty());
        // A phone-only message, then a BSUID-only one, then one with both, all in one batch
        resolver.resolve("demo", BUSINESS, "31612345678", null, T0);
        var both = resolver.resolve("demo", BUSINESS, "31612345678", "NL.1349", T0.plusSeconds(1));
        var bsuidOnly = resolver.resolve("demo", BUSINESS, null, "NL.1349", T0.plusSeconds(2));
        assertThat(both.toString()).isEqualTo("100000000000001:31612345678");
        assertThat(bsuidOnly.toString()).isEqualTo("100000000000001:31612345678");
        assertThat(resolver.newIdentities()).containsExactly(
                Map.entry("100000000000001:31612345678", "100000000000001:31612345678"),
                Map.entry("100000000000001:NL.1349", "100000000000001:31612345678"));
        // first sighting kept
        assertThat(resolver.records().get(0).value().getFirstSeenAt()).isEqualTo(T0);
    }

    @Test
    void shouldWriteNothingForKnownIdentifiersAndCountAConflict() {
        Map<String, String> directory = Map.of(
                "100000000000001:31612345678", "100000000000001:31612345678",
                "100000000000001:NL.1349", "100000000000001:NL.1349");
        var resolver = new CustomerResolver(key -> Optional.ofNullable(directory.get(key)));
        var conversation = resolver.resolve("demo", BUSINESS, "31612345678", "NL.1349", T0);
        assertThat(conversation.toString()).isEqualTo("100000000000001:NL.1349");
        assertThat(resolver.records()).isEmpty();
        assertThat(resolver.conflicts()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheSameIdentifierOfTwoBusinessNumbersApart() {
        Map<String, String> directory = Map.of("100000000000001:31612345678", "100000000000001:31612345678");
        var resolver = new CustomerResolver(key -> Optional.ofNullable(directory.get(key)));
        var conversation = resolver.resolve("other", "100000000000002", "31612345678", null, T0);
        assertThat(conversation.toString()).isEqualTo("100000000000002:31612345678");
        assertThat(resolver.records()).singleElement().satisfies(r -> assertThat(r.key()).isEqualTo("100000000000002:31612345678"));
    }
}
