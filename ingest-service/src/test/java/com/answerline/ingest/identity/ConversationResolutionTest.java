package com.answerline.ingest.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class ConversationResolutionTest {

    private static final String BUSINESS = "100000000000001";
    private static final String PHONE = "31612345678";
    private static final String BSUID = "NL.13491208655302741918";

    @Test
    void shouldOpenAConversationKeyedByPhoneForANewCustomerWithBothIdentifiersAndWriteBoth() {
        var resolution = ConversationResolution.resolve(BUSINESS, PHONE, BSUID, Optional.empty(), Optional.empty());
        assertThat(resolution.conversation().toString()).isEqualTo("100000000000001:31612345678");
        assertThat(resolution.phoneIsNew()).isTrue();
        assertThat(resolution.bsuidIsNew()).isTrue();
        assertThat(resolution.conflict()).isFalse();
    }

    @Test
    void shouldOpenAConversationKeyedByBsuidForANewUsernameOnlyCustomer() {
        var resolution = ConversationResolution.resolve(BUSINESS, null, BSUID, Optional.empty(), Optional.empty());
        assertThat(resolution.conversation().toString()).isEqualTo("100000000000001:NL.13491208655302741918");
        assertThat(resolution.phoneIsNew()).isFalse();
        assertThat(resolution.bsuidIsNew()).isTrue();
    }

    @Test
    void shouldPutABsuidOnlyMessageOfAKnownCustomerInTheirPhoneKeyedConversation() {
        var resolution = ConversationResolution.resolve(BUSINESS, null, BSUID, Optional.empty(),
                Optional.of("100000000000001:31612345678"));
        assertThat(resolution.conversation().toString()).isEqualTo("100000000000001:31612345678");
        assertThat(resolution.bsuidIsNew()).isFalse();
    }

    @Test
    void shouldPutAnSmsFromAKnownPhoneInItsConversationEvenWhenKeyedByBsuid() {
        var resolution = ConversationResolution.resolve(BUSINESS, PHONE, null,
                Optional.of("100000000000001:NL.13491208655302741918"), Optional.empty());
        assertThat(resolution.conversation().toString()).isEqualTo("100000000000001:NL.13491208655302741918");
        assertThat(resolution.phoneIsNew()).isFalse();
        assertThat(resolution.bsuidIsNew()).isFalse();
    }

    @Test
    void shouldLinkANewBsuidToTheConversationOfItsKnownPhone() {
        var resolution = ConversationResolution.resolve(BUSINESS, PHONE, BSUID,
                Optional.of("100000000000001:31612345678"), Optional.empty());
        assertThat(resolution.conversation().toString()).isEqualTo("100000000000001:31612345678");
        assertThat(resolution.phoneIsNew()).isFalse();
        assertThat(resolution.bsuidIsNew()).isTrue();
    }

    @Test
    void shouldLinkANewPhoneToTheConversationOfItsKnownBsuid() {
        // A username-only customer later shares their number (REQUEST_CONTACT_INFO, or Meta starts sending it)
        var resolution = ConversationResolution.resolve(BUSINESS, PHONE, BSUID, Optional.empty(),
                Optional.of("100000000000001:NL.13491208655302741918"));
        assertThat(resolution.conversation().toString()).isEqualTo("100000000000001:NL.13491208655302741918");
        assertThat(resolution.phoneIsNew()).isTrue();
        assertThat(resolution.bsuidIsNew()).isFalse();
    }

    @Test
    void shouldFollowTheBsuidAndReportAConflictWhenPhoneAndBsuidLeadToDifferentConversations() {
        // The number was recycled: it belonged to another customer before (BSUID is the stable identity)
        var resolution = ConversationResolution.resolve(BUSINESS, PHONE, BSUID,
                Optional.of("100000000000001:31612345678"), Optional.of("100000000000001:NL.13491208655302741918"));
        assertThat(resolution.conversation().toString()).isEqualTo("100000000000001:NL.13491208655302741918");
        assertThat(resolution.conflict()).isTrue();
        // and neither identifier is re-pointed
        assertThat(resolution.phoneIsNew()).isFalse();
        assertThat(resolution.bsuidIsNew()).isFalse();
    }

    @Test
    void shouldNotReportAConflictWhenBothLeadToTheSameConversation() {
        var resolution = ConversationResolution.resolve(BUSINESS, PHONE, BSUID,
                Optional.of("100000000000001:31612345678"), Optional.of("100000000000001:31612345678"));
        assertThat(resolution.conflict()).isFalse();
        assertThat(resolution.conversation().toString()).isEqualTo("100000000000001:31612345678");
    }

    @Test
    void shouldRefuseACustomerWithoutAnyIdentifier() {
        assertThatThrownBy(() -> ConversationResolution.resolve(BUSINESS, null, " ", Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
