package com.answerline.ingest.gateway;

import org.springframework.security.oauth2.jwt.Jwt;

import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.conversation.ConversationId;

/**
 * The one gate every {@code /conversations/{conversationId}/...} endpoint passes: the path's id must be
 * well-formed, its customer key a possible E.164 number or a BSUID (else 400 naming {@code conversationId},
 * see {@link ConversationIdValidator}), and the caller's tenant must own its business number
 * (else 404, the same answer as for a conversation that does not exist, so ids of other tenants leak nothing).
 */
final class ConversationAccess {

    static final String TENANT_CLAIM = "tenant_id";

    private final TenantDirectory tenants;
    private final ConversationIdValidator ids = new ConversationIdValidator();

    ConversationAccess(TenantDirectory tenants) {
        this.tenants = tenants;
    }

    /** The conversation the token may act on, or {@link ConversationNotFoundException}. */
    Conversation resolve(String conversationId, Jwt token) {
        ConversationId conversation = ids.validate(conversationId);
        String tenantId = token.getClaimAsString(TENANT_CLAIM);
        if (tenantId == null || !tenants.owns(tenantId, conversation.phoneNumberId())) {
            throw new ConversationNotFoundException();
        }
        return new Conversation(tenantId, conversation);
    }

    /** A conversation together with the tenant that was checked to own it. */
    record Conversation(String tenantId, ConversationId id) {
    }
}
