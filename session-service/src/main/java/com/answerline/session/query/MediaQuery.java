package com.answerline.session.query;

import java.util.regex.Pattern;

/**
 * A request for the reference of a media id of a conversation, checked (400 naming the parameter). Plain Java.
 *
 * @param mediaId the provider's media id: 1 to 256 letters, digits, {@code . _ ~ : -}
 */
public record MediaQuery(String conversationId, String tenantId, String mediaId) {

    private static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9._~:-]{1,256}");

    public static MediaQuery parse(String conversationId, String tenantId, String mediaId) {
        String id = ThreadQuery.conversation(conversationId);
        String tenant = ThreadQuery.tenant(tenantId);
        if (mediaId == null || !MEDIA_ID.matcher(mediaId).matches()) {
            throw new InvalidQueryException("mediaId", "mediaId must be 1 to 256 letters, digits or . _ ~ : -");
        }
        return new MediaQuery(id, tenant, mediaId);
    }
}
