package com.answerline.bench.badinput;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.answerline.bench.stack.Endpoints;

/** {@code --per-endpoint N}: the generation in rounds, capped per endpoint, and the counting of the answers. */
class BadRequestsTest {

    private static final Endpoints ENDPOINTS = Endpoints.from(Map.of());
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
    private static final HttpCases.Tokens TOKENS = new HttpCases.Tokens(TOKEN, TOKEN, TOKEN, TOKEN);

    @Test
    void shouldGenerateExactlyNBadRequestsForEveryEndpoint() {
        // Given a quota of 12 per endpoint and small rounds (a tenth of the full plan's: about 11 per endpoint per round,
        // 3 on the endpoints that get the fewest)
        BadRequests bad = new BadRequests(seed -> new HttpCases(ENDPOINTS, seed, 24, "15559998877", TOKENS).all(),
                42, 12);

        // When every round is taken
        Map<String, Integer> sent = new HashMap<>();
        List<Integer> roundSizes = new ArrayList<>();
        while (bad.hasNext()) {
            List<HttpCases.Case> round = bad.next();
            roundSizes.add(round.size());
            round.forEach(c -> sent.merge(c.endpoint(), 1, Integer::sum));
        }

        // Then every endpoint got exactly 12, in several rounds, as counted
        assertThat(sent).isNotEmpty().allSatisfy((endpoint, count) -> assertThat(count).as(endpoint).isEqualTo(12));
        assertThat(sent.keySet()).contains("POST /webhooks/whatsapp", "POST /webhooks/sms",
                "POST /api/v1/conversations/{id}/replies", "GET /sandbox/phones/{n}");
        assertThat(bad.counts()).isEqualTo(sent);
        assertThat(bad.shortOfQuota()).isEmpty();
        assertThat(bad.rounds()).isGreaterThan(2);
        assertThat(roundSizes.get(roundSizes.size() - 1)).isLessThan(roundSizes.get(0));
    }

    @Test
    void shouldSendOneRoundAsGeneratedWithoutAQuota() {
        List<HttpCases.Case> generated = new HttpCases(ENDPOINTS, 42, 24, "15559998877", TOKENS).all();
        BadRequests bad = new BadRequests(seed -> new HttpCases(ENDPOINTS, seed, 24, "15559998877", TOKENS).all(),
                42, 0);

        List<HttpCases.Case> round = bad.next();

        assertThat(round).hasSameSizeAs(generated);
        assertThat(bad.counts().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(generated.size());
        assertThat(bad.hasNext()).isFalse();
        assertThat(bad.next()).isEmpty();
    }

    @Test
    void shouldReportEndpointsTheGeneratorCannotFill() {
        // Given a generator whose second endpoint has a fixed case only, the same every round
        BadRequests bad = new BadRequests(seed -> seed == 7 ? List.of(request("a"), request("a"), request("b"))
                : List.of(), 7, 2);

        bad.next();
        assertThat(bad.hasNext()).isTrue();
        assertThat(bad.next()).isEmpty();

        // Then it stops, and says which endpoint stayed below the quota
        assertThat(bad.hasNext()).isFalse();
        assertThat(bad.shortOfQuota()).containsExactly(Map.entry("b", 1));
    }

    @Test
    void shouldCountAnUnexpected5xxAndAnUnansweredRequestAcrossRoundsButNotTheDocumented503() {
        Map<String, HttpBarrage.Tally> tallies = new HashMap<>();

        HttpBarrage.tallyInto(tallies, List.of(answer("a", 400, "{}"), answer("a", 503, null)));
        HttpBarrage.tallyInto(tallies, List.of(answer("a", 500, "boom"), answer("a", -1, null)));

        HttpBarrage.Tally a = tallies.get("a");
        assertThat(a.requests).isEqualTo(4);
        // the 503 without Retry-After is a violation too: only "503 + Retry-After" is documented
        assertThat(a.violations).isEqualTo(3);
        assertThat(a.statuses).containsEntry(500, 1).containsEntry(400, 1);
    }

    private static HttpCases.Case request(String endpoint) {
        return new HttpCases.Case(endpoint, "bad-field", "GET", "http://127.0.0.1:1/" + endpoint, Map.of(), null, false);
    }

    private static HttpBarrage.Answer answer(String endpoint, int status, String body) {
        return new HttpBarrage.Answer(request(endpoint), status, body, status < 0 ? "no answer within PT30S" : null);
    }
}
