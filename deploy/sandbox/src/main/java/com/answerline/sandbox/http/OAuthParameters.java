package com.answerline.sandbox.http;

import com.answerline.sandbox.identity.AuthorizationServer.AuthorizationRequest;
import com.answerline.sandbox.identity.AuthorizationServer.TokenRequest;
import com.answerline.sandbox.identity.OAuthException;
import java.util.List;
import org.springframework.util.MultiValueMap;

/**
 * The OAuth parameters of a query or a form (RFC 6749 section 3.1): one given without a value counts as absent,
 * one given twice is an invalid request.
 */
record OAuthParameters(MultiValueMap<String, String> values) {

    AuthorizationRequest authorizationRequest() {
        return new AuthorizationRequest(get("response_type"), get("client_id"), get("redirect_uri"), get("scope"),
                get("state"), get("code_challenge"), get("code_challenge_method"), get("nonce"));
    }

    TokenRequest tokenRequest() {
        return new TokenRequest(get("grant_type"), get("code"), get("redirect_uri"), get("client_id"),
                get("code_verifier"));
    }

    private String get(String name) {
        List<String> given = values.get(name);
        if (given == null || given.isEmpty()) {
            return null;
        }
        if (given.size() > 1) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, name + " must be given once");
        }
        String value = given.get(0);
        return value == null || value.isEmpty() ? null : value;
    }
}
