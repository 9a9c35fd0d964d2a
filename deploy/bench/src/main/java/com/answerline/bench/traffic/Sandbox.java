package com.answerline.bench.traffic;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** The provider sandbox's control API: customers write, agents get tokens, phones show what arrived, faults. */
public final class Sandbox {

    private final String base;
    private final Json json;

    public Sandbox(String base, Json json) {
        this.base = base;
        this.json = json;
    }

    public String base() {
        return base;
    }

    /** The simulator's URL for a customer's WhatsApp message (the load generator posts to it directly). */
    public String customerMessageUrl(String phone) {
        return base + "/sandbox/customers/" + phone + "/messages";
    }

    /** A customer of the number writes now; the sandbox signs and posts the webhook to ingest. */
    public Json.Answer customerWrites(String phoneNumberId, String phone, String text) {
        return json.post(customerMessageUrl(phone), customerMessage(phoneNumberId, text));
    }

    public static String customerMessage(String phoneNumberId, String text) {
        return "{\"phoneNumberId\":\"" + phoneNumberId + "\",\"text\":" + Json.quote(text) + "}";
    }

    /** An agent's bearer token from the sandbox identity provider. */
    public String agentToken(String agentId, String tenantId) {
        return token("{\"agentId\":\"" + agentId + "\",\"tenantId\":\"" + tenantId + "\",\"roles\":[\"agent\"]}");
    }

    /** The same token, but expired an hour ago (signed with the provider's real key): every service must refuse it. */
    public String expiredAgentToken(String agentId, String tenantId) {
        return token("{\"agentId\":\"" + agentId + "\",\"tenantId\":\"" + tenantId
                + "\",\"roles\":[\"agent\"],\"expired\":true}");
    }

    private String token(String request) {
        Json.Answer answer = json.post(base + "/sandbox/tokens", request);
        if (!answer.ok()) {
            throw new IllegalStateException("sandbox token endpoint answered " + answer);
        }
        return answer.json().path("token").asText();
    }

    /** One message a phone received. */
    public record Received(String channel, String text, Instant receivedAt) {
    }

    public List<Received> phone(String phone) {
        Json.Answer answer = json.get(base + "/sandbox/phones/" + phone);
        if (!answer.ok()) {
            throw new IllegalStateException("sandbox phone " + phone.substring(0, 4) + "… answered " + answer.status());
        }
        List<Received> received = new ArrayList<>();
        for (JsonNode message : answer.json()) {
            received.add(new Received(message.path("channel").asText(), message.path("text").asText(),
                    Instant.parse(message.path("receivedAt").asText())));
        }
        return received;
    }

    /**
     * The copies the phones received of the harness's texts that start with {@code prefix}, by the first word after it
     * (the key the harness put there; an SMS fallback carries its invitation after the text), with each copy's receipt
     * time. Every other message is left out.
     */
    public Map<String, List<Instant>> received(Collection<String> phones, String prefix) {
        Map<String, List<Instant>> received = new HashMap<>();
        for (String phone : new LinkedHashSet<>(phones)) {
            for (Received message : phone(phone)) {
                if (message.text().startsWith(prefix)) {
                    String key = message.text().substring(prefix.length()).split("\\s")[0];
                    received.computeIfAbsent(key, k -> new ArrayList<>()).add(message.receivedAt());
                }
            }
        }
        return received;
    }

    /** Sets the provider faults: {@code {"whatsapp":{"mode":"HTTP_500"}}}, see the sandbox README. */
    public void faults(String body) {
        Json.Answer answer = json.post(base + "/sandbox/faults", body);
        if (!answer.ok()) {
            throw new IllegalStateException("sandbox faults answered " + answer);
        }
    }

    /** Delivery reports (status webhooks) after each send on or off (the sandbox's settings). */
    public void statusWebhooks(boolean on) {
        Json.Answer answer = json.put(base + "/sandbox/settings", "{\"statusWebhooks\":" + on + "}");
        if (!answer.ok()) {
            throw new IllegalStateException("sandbox settings answered " + answer);
        }
    }

    public void clearFaults() {
        faults("{\"whatsapp\":{\"mode\":\"OK\"},\"sms\":{\"mode\":\"OK\"}}");
    }
}
