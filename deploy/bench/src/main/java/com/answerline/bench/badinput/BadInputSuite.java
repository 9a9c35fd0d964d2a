package com.answerline.bench.badinput;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SessionState;
import com.answerline.bench.report.Check;
import com.answerline.bench.report.Figure;
import com.answerline.bench.report.CommandLine;
import com.answerline.bench.report.Report;
import com.answerline.bench.stack.Endpoints;
import com.answerline.bench.stack.Stack;
import com.answerline.bench.stage.Conversations;
import com.answerline.bench.stage.FoldStage;
import com.answerline.bench.stage.FoldedCounts;
import com.answerline.bench.stage.Harness;
import com.answerline.bench.stage.Outcomes;
import com.answerline.bench.traffic.Customers;
import com.answerline.bench.traffic.Json;
import com.answerline.bench.traffic.MetaWebhooks;
import com.answerline.schemas.topic.Topics;

/**
 * The bad-input suite ({@code deploy/bench/bad-inputs}). Two phases against the running stack:
 * <ol>
 *   <li><b>HTTP</b>: thousands of generated bad requests ({@link HttpCases}) against every endpoint of ingest
 *       (webhooks, gateway), session-service, dispatch-service and the provider sandbox, with good signed webhooks
 *       and good replies among them. Checked: no 5xx but the documented 503 with {@code Retry-After}, no request
 *       left unanswered; every good webhook folded exactly once, every good reply exactly one final outcome.</li>
 *   <li><b>Kafka</b>: poison records on every consumed topic ({@link PoisonRecords}), all on the partition of one
 *       good conversation, then good records on that partition (an inbound message and a reply command produced
 *       directly, a reply and an assignment through the gateway). Checked: every poison record on its dead-letter
 *       twin with a cause, the good records all processed once.</li>
 * </ol>
 * Finally every service must still run and report healthy. Exits 1 when a check failed.
 *
 * <p>Arguments: {@code [--smoke] [--per-endpoint N [--max-minutes M]] [--data-dir DIR] [--root DIR] [--out FILE]}:
 * {@code --per-endpoint N} sends exactly N generated bad requests to every endpoint (in rounds, good requests among
 * them as always), starting no round after M minutes (default 180); without it, one round (about 110 per endpoint).
 */
public final class BadInputSuite {

    /** The kind of the good requests among the bad ones. */
    static final String GOOD = "good";

    /**
     * @param perEndpoint generated bad inputs per endpoint and kind of input (bodies, paths, ...) in one round of the
     *                    generator
     * @param goodEvery   a good webhook and a good reply after every this many bad requests
     * @param quota       {@code --per-endpoint N}: exactly N bad requests per endpoint, generated in rounds; 0 (the
     *                    default): one round as generated (about 110 per endpoint in the full plan)
     * @param timeBound   no new round starts after this (the check of the quota fails then)
     */
    public record Plan(String mode, int perEndpoint, int goodEvery, int goodCustomers, int inFlight, Duration settle,
                       int quota, Duration timeBound) {

        public static Plan full() {
            return new Plan("full", 240, 20, 20, 8, Duration.ofMinutes(2), 0, Duration.ofHours(3));
        }

        public static Plan smoke() {
            return new Plan("smoke", 24, 10, 5, 4, Duration.ofMinutes(1), 0, Duration.ofHours(3));
        }

        /** {@code --per-endpoint N} and {@code --max-minutes M}. */
        Plan withQuota(int perEndpointQuota, Duration bound) {
            return new Plan(mode + ", " + perEndpointQuota + " per endpoint", perEndpoint, goodEvery, goodCustomers,
                    inFlight, settle, perEndpointQuota, bound);
        }
    }

    private BadInputSuite() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine command = CommandLine.parse(args);
        Plan plan = command.smoke() ? Plan.smoke() : Plan.full();
        if (command.has("per-endpoint")) {
            plan = plan.withQuota(Integer.parseInt(command.get("per-endpoint", "0")),
                    Duration.ofMinutes(Long.parseLong(command.get("max-minutes", Long.toString(plan.timeBound().toMinutes())))));
        }
        command.finish(run(plan, Endpoints.fromEnvironment(), new Stack(command.root(), command.dataDir(), Map.of())));
    }

    /** Runs both phases against the stack (the smoke IT calls this). */
    public static Report run(Plan plan, Endpoints endpoints, Stack stack) {
        Report report = new Report("answerline bad-input suite (" + plan.mode() + ")")
                .context("startedAt", Instant.now().toString());
        long runId = System.currentTimeMillis() / 1000;
        List<String> rows = new ArrayList<>();
        try (Harness harness = new Harness(endpoints, runId, report, "")) {
            Customers good = new Customers(runId * 16 + 14, plan.goodCustomers());
            String badPhone = new Customers(runId * 16 + 13, 1).phone(0);
            String token = harness.sandbox().agentToken("bench-agent", "demo");
            HttpCases.Tokens tokens = new HttpCases.Tokens(token, harness.sandbox().agentToken("bench-intruder", "other"),
                    harness.sandbox().expiredAgentToken("bench-agent", "demo"), HttpCases.forged(token));
            Map<String, Long> folded = http(harness, plan, good, badPhone, tokens, rows);
            internalApis(harness, good, tokens, rows);
            kafka(harness, plan, good, token, folded, rows);
            for (String service : Stack.SERVICES) {
                boolean running = stack.pid(service).isPresent();
                String health = health(harness, service);
                report.add(Check.of("liveness", service + " still runs and is healthy", running && health.contains("UP"),
                        (running ? "running" : "not running") + ", health " + health));
            }
        }
        report.note("reliability table:\n| scenario | load | checked | lost | duplicated | notes |\n|---|---|---|---|---|---|\n"
                + String.join("\n", rows));
        return report;
    }

    /** Phase 1; returns each good conversation's folded inbound count. */
    private static Map<String, Long> http(Harness harness, Plan plan, Customers good, String badPhone,
                                          HttpCases.Tokens tokens, List<String> rows) {
        Report report = harness.report();
        String token = tokens.agent();
        BadRequests bad = new BadRequests(seed -> new HttpCases(harness.endpoints(), seed, plan.perEndpoint(), badPhone,
                tokens).all(), harness.runId(), plan.quota());
        MetaWebhooks webhooks = MetaWebhooks.demo();
        Map<String, Long> expected = new TreeMap<>();
        Set<String> conversations = new java.util.HashSet<>();
        for (int i = 0; i < good.count(); i++) {
            conversations.add(good.conversation(Conversations.DEMO_NUMBER, i));
        }
        Map<String, Object> settingsBefore = Map.of("statusWebhooks", true);
        Map<TopicPartition, Long> sessionsMark = harness.kafka().endOffsets(List.of(Topics.CONVERSATION_SESSIONS.name()));
        Set<String> commands = ConcurrentHashMap.newKeySet();
        // Tallied round by round: a run of --per-endpoint 10000 never holds its requests or answers, only the good ones.
        Map<String, HttpBarrage.Tally> tallies = new java.util.LinkedHashMap<>();
        Map<String, Set<String>> kindsByEndpoint = new TreeMap<>();
        List<HttpBarrage.Answer> answers = new ArrayList<>();
        long started = System.nanoTime();
        long deadline = started + plan.timeBound().toNanos();
        long sent = 0;
        boolean cutShort = false;
        try (Outcomes outcomes = new Outcomes(harness, commands, o -> conversations.contains(o.getConversationId()),
                plan.settle().multipliedBy(10).plus(plan.timeBound()))) {
            int n = 0;
            long badSoFar = 0;
            while (bad.hasNext()) {
                if (System.nanoTime() > deadline) {
                    cutShort = true;
                    break;
                }
                List<HttpCases.Case> round = bad.next();
                List<HttpCases.Case> all = new ArrayList<>();
                for (HttpCases.Case request : round) {
                    all.add(request);
                    if (badSoFar++ % plan.goodEvery() == 0) {
                        int customer = n % good.count();
                        String conversation = good.conversation(Conversations.DEMO_NUMBER, customer);
                        byte[] body = webhooks.textMessage(good.phone(customer), "wamid.good." + harness.runId() + "." + n,
                                Instant.now(), "a good message among bad ones");
                        all.add(new HttpCases.Case("good webhooks among the bad", GOOD, "POST",
                                harness.endpoints().webhooks() + "/webhooks/whatsapp", Map.of("Content-Type",
                                "application/json", MetaWebhooks.SIGNATURE_HEADER, webhooks.signature(body)), body, false));
                        expected.merge(conversation, 1L, Long::sum);
                        all.add(new HttpCases.Case("good replies among the bad", GOOD, "POST", harness.endpoints().ingest()
                                + "/api/v1/conversations/" + conversation + "/replies", Map.of("Content-Type",
                                "application/json", "Authorization", "Bearer " + token, "Idempotency-Key", "good-"
                                + harness.runId() + "-" + n), "{\"text\":\"a good reply among bad ones\",\"fallback\":\"SMS\"}"
                                .getBytes(StandardCharsets.UTF_8), false));
                        n++;
                    }
                }
                harness.progress("bad inputs: round " + bad.rounds() + ", " + round.size() + " bad requests, "
                        + (all.size() - round.size()) + " good ones among them, " + plan.inFlight() + " in flight"
                        + (plan.quota() == 0 ? "" : " (" + plan.quota() + " per endpoint)"));
                List<HttpBarrage.Answer> roundAnswers = new HttpBarrage(plan.inFlight(), Duration.ofSeconds(30)).send(all);
                sent += all.size();
                HttpBarrage.tallyInto(tallies, roundAnswers);
                roundAnswers.forEach(a -> kindsByEndpoint.computeIfAbsent(a.request().endpoint(),
                        e -> new java.util.TreeSet<>()).add(a.request().kind()));
                roundAnswers.stream().filter(a -> a.request().kind().equals(GOOD)).forEach(answers::add);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            harness.sandbox().clearFaults();
            harness.sandbox().statusWebhooks((Boolean) settingsBefore.get("statusWebhooks"));
            report.add(Figure.of("http", "requests", sent, "requests"));
            report.add(Figure.of("http", "request rate", sent / seconds, "req/s"));
            if (plan.quota() > 0) {
                Map<String, Integer> shortOf = bad.shortOfQuota();
                report.add(Check.of("http", "every endpoint got its " + plan.quota() + " bad requests within "
                        + plan.timeBound().toMinutes() + " min", !cutShort && shortOf.isEmpty(), bad.rounds()
                        + " rounds, " + bad.counts().size() + " endpoints" + (cutShort ? ", cut short at the time bound" : "")
                        + (shortOf.isEmpty() ? "" : ", below the quota: " + shortOf)));
            }

            long stalled = tallies.values().stream().mapToLong(t -> t.stalled).sum();
            // Not a check: a known Reactor Netty keep-alive stall (see HttpBarrage.sendOne), answered on a new connection.
            report.add(Figure.of("http", "requests stalled on a kept-alive connection, answered on a new one", stalled,
                    "requests"));
            if (stalled > 0) {
                report.note("stalled requests (reactor/reactor-netty#4361, unread on a kept-alive connection, answered on "
                        + "a new one): " + tallies.entrySet().stream().filter(t -> t.getValue().stalled > 0)
                        .map(t -> t.getKey() + " x" + t.getValue().stalled).collect(Collectors.joining(", ")));
            }
            tallies.forEach((endpoint, tally) -> {
                if (endpoint.startsWith("good ")) {
                    return;
                }
                Set<String> kinds = kindsByEndpoint.getOrDefault(endpoint, Set.of());
                report.add(Check.of("http", endpoint + ": no 5xx but the documented 503, every request answered",
                        tally.violations == 0, tally.requests + " requests, statuses " + tally.statuses
                                + (tally.samples.isEmpty() ? "" : ", e.g. " + tally.samples)));
                rows.add("| HTTP " + endpoint + " | " + tally.requests + " bad requests: " + String.join(", ", kinds)
                        + " | no 5xx but 503 + Retry-After, every request answered; statuses " + tally.statuses
                        + " | - | - | " + ((tally.violations == 0 ? "passed" : tally.violations + " violations: " + tally.samples)
                        + (tally.stalled == 0 ? "" : "; " + tally.stalled + " stalled, answered on a new connection"))
                        .replace("|", "/") + " |");
            });

            // The good webhooks: each answered 200, each folded exactly once.
            List<HttpBarrage.Answer> goodWebhooks = answers.stream()
                    .filter(a -> a.request().endpoint().equals("good webhooks among the bad")).toList();
            long webhooksRefused = goodWebhooks.stream().filter(a -> a.status() != 200).count();
            Map<String, Long> foldedCounts = foldedCounts(harness, sessionsMark, expected, plan.settle());
            long notFolded = 0;
            long foldedTwice = 0;
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                long got = foldedCounts.getOrDefault(e.getKey(), 0L);
                notFolded += Math.max(0, e.getValue() - got);
                foldedTwice += Math.max(0, got - e.getValue());
            }
            report.add(Check.of("http", "good webhooks among the bad: each 200, folded exactly once",
                    webhooksRefused == 0 && notFolded == 0 && foldedTwice == 0, goodWebhooks.size() + " webhooks, "
                            + webhooksRefused + " not 200, " + notFolded + " not folded, " + foldedTwice + " folded twice"));
            rows.add("| good webhooks among the bad | " + goodWebhooks.size() + " signed webhooks, " + expected.size()
                    + " customers, one after every " + plan.goodEvery() + " bad requests | each 200, each conversation's "
                    + "inboundCount = its webhooks | " + notFolded + " | " + foldedTwice + " | " + webhooksRefused + " not 200 |");

            // The good replies: each 202, each exactly one final outcome.
            List<HttpBarrage.Answer> goodReplies = answers.stream()
                    .filter(a -> a.request().endpoint().equals("good replies among the bad")).toList();
            long repliesRefused = 0;
            for (HttpBarrage.Answer answer : goodReplies) {
                String id = answer.status() == 202 ? commandId(answer.body()) : null;
                if (id == null) {
                    repliesRefused++;
                } else {
                    commands.add(id);
                }
            }
            outcomes.awaitAll(plan.settle());
            long noOutcome = outcomes.withoutFinal();
            long conflicting = outcomes.conflicting().size();
            report.add(Check.of("http", "good replies among the bad: each 202, exactly one final outcome",
                    repliesRefused == 0 && noOutcome == 0 && conflicting == 0, goodReplies.size() + " replies, "
                            + repliesRefused + " not 202, " + noOutcome + " without a final outcome, " + conflicting
                            + " with two different ones"));
            rows.add("| good replies among the bad | " + goodReplies.size() + " gateway replies with an Idempotency-Key |"
                    + " each 202, exactly one final outcome | " + noOutcome + " | " + conflicting + " | " + repliesRefused
                    + " not 202; outcomes " + outcomeMix(outcomes) + " |");
            return foldedCounts;
        }
    }

    /**
     * Phase 1b: session's and dispatch's APIs reached directly on their ports (as a foothold in the pod network would)
     * about a conversation of demo that exists (the first good customer's, folded in phase 1), with no token, a forged
     * one (another key), an expired one and an agent's token of tenant other: each must answer 401 (404 for the other
     * tenant: its conversation does not exist for it), and none may succeed. demo's own token reading the same
     * conversation is the control: it must answer 200, or the refusals prove nothing.
     */
    private static void internalApis(Harness harness, Customers good, HttpCases.Tokens tokens, List<String> rows) {
        Report report = harness.report();
        String conversation = good.conversation(Conversations.DEMO_NUMBER, 0);
        List<HttpCases.Case> cases = HttpCases.refusedCredentials(harness.endpoints(), conversation, tokens);
        harness.progress("bad inputs: " + cases.size() + " direct calls of session's and dispatch's APIs with refused "
                + "credentials");
        List<HttpBarrage.Answer> answers = new HttpBarrage(2, Duration.ofSeconds(30)).send(cases);
        List<HttpBarrage.Answer> successes = answers.stream().filter(a -> a.status() >= 200 && a.status() < 300).toList();
        List<HttpBarrage.Answer> wrong = answers.stream().filter(HttpBarrage.Answer::violation).toList();
        Map<String, Long> statuses = answers.stream().collect(Collectors.groupingBy(
                a -> a.request().kind() + "=" + a.status(), TreeMap::new, Collectors.counting()));
        report.add(Check.of("http", "internal APIs reached directly with no, forged, expired or another tenant's token: "
                        + "0 successes, each 401 (404 for another tenant) with problem details",
                successes.isEmpty() && wrong.isEmpty(), answers.size() + " requests, " + successes.size() + " successes, "
                        + wrong.size() + " other answers; " + statuses
                        + (wrong.isEmpty() ? "" : ", e.g. " + wrong.get(0).request().endpoint() + " "
                        + wrong.get(0).request().kind() + " -> " + wrong.get(0).status())));
        Json.Answer control = harness.json().get(harness.endpoints().session() + "/api/v1/conversations/" + conversation,
                "Authorization", "Bearer " + tokens.agent());
        report.add(Check.of("http", "control: demo's own token reads the same conversation on session-service directly",
                control.status() == 200, "status " + control.status()));
        rows.add("| HTTP session's and dispatch's APIs directly, refused credentials | " + answers.size() + " requests: "
                + "no token, forged signature, expired, another tenant's token, on every read and the preview | 0 "
                + "successes, each 401 (404 for another tenant's) as problem details | - | - | " + successes.size()
                + " successes; " + statuses.toString().replace("|", "/") + "; control (demo's token) " + control.status()
                + " |");
    }

    /** Phase 2: poison on every consumed topic, good records behind it. */
    private static void kafka(Harness harness, Plan plan, Customers good, String token, Map<String, Long> folded,
                              List<String> rows) {
        Report report = harness.report();
        String conversation = good.conversation(Conversations.DEMO_NUMBER, 0);
        String phone = good.phone(0);
        int partition = PoisonRecords.partitionOf(conversation);
        PoisonRecords poison = new PoisonRecords(harness, partition, Long.toString(harness.runId()));
        Map<TopicPartition, Long> deadLetterMarks = poison.deadLetterMarks();
        Map<TopicPartition, Long> sessionsMark = harness.kafka().endOffsets(List.of(Topics.CONVERSATION_SESSIONS.name()));
        harness.progress("bad inputs: poison records on " + PoisonRecords.CONSUMED.size() + " topics, partition " + partition);
        List<PoisonRecords.Poison> poisons = poison.produce();

        // Good records behind the poison, on the same partition of every topic.
        Set<String> commands = ConcurrentHashMap.newKeySet();
        String produced = "after-poison-" + harness.runId();
        try (Outcomes outcomes = new Outcomes(harness, commands, o -> o.getConversationId().equals(conversation),
                plan.settle().multipliedBy(4))) {
            try (KafkaProducer<String, Object> producer = harness.kafka().avroProducer()) {
                Instant now = Instant.now();
                producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), conversation,
                        FoldStage.message(Conversations.DEMO_NUMBER, phone, "wamid." + produced, now)));
                producer.send(new ProducerRecord<>(Topics.REPLY_COMMANDS.name(), conversation, ReplyCommand.newBuilder()
                        .setCommandId(produced).setTenantId("demo").setConversationId(conversation).setAgentId("bench-agent")
                        .setText("a good command after the poison").setFallback(FallbackPolicy.SMS).setIssuedAt(now).build()));
                producer.flush();
            }
            commands.add(produced);
            String api = harness.endpoints().ingest() + "/api/v1/conversations/" + conversation;
            Json.Answer reply = harness.json().post(api + "/replies", "{\"text\":\"a good reply after the poison\"}",
                    "Authorization", "Bearer " + token, "Idempotency-Key", produced);
            String gatewayCommand = reply.status() == 202 ? commandId(reply.body()) : null;
            if (gatewayCommand != null) {
                commands.add(gatewayCommand);
            }
            Json.Answer assign = harness.json().put(api + "/assignee", "{\"agentId\":\"bench-agent\"}",
                    "Authorization", "Bearer " + token);

            List<PoisonRecords.Fate> fates = poison.fates(poisons, deadLetterMarks, plan.settle());
            outcomes.awaitAll(plan.settle());
            long expectedInbound = folded.getOrDefault(conversation, 0L) + 1;
            SessionState session = latestSession(harness, sessionsMark, conversation,
                    s -> s.getInboundCount() >= expectedInbound && "bench-agent".equals(s.getAssigneeId()), plan.settle());
            String readBack = gatewayCommand == null ? "no command" : readReply(harness, gatewayCommand, token, plan.settle());

            long inbound = session == null ? 0 : session.getInboundCount();
            long goodLost = Math.max(0, expectedInbound - inbound) + outcomes.withoutFinal()
                    + (gatewayCommand == null ? 1 : 0) + (session != null && "bench-agent".equals(session.getAssigneeId()) ? 0 : 1)
                    + (readBack.contains("\"final\":true") ? 0 : 1);
            long goodDuplicated = Math.max(0, inbound - expectedInbound) + outcomes.conflicting().size();
            report.add(Check.of("kafka", "good records behind the poison processed, once", goodLost == 0 && goodDuplicated == 0,
                    "inboundCount " + inbound + " of " + expectedInbound + ", " + outcomes.withoutFinal() + " of "
                            + commands.size() + " commands without a final outcome " + outcomeMix(outcomes) + ", gateway reply " + reply.status()
                            + " read back " + readBack.substring(0, Math.min(120, readBack.length())) + ", assignee "
                            + (session == null ? "?" : session.getAssigneeId()) + " (PUT " + assign.status() + ")"));
            rows.add("| good records behind the poison | 1 inbound message and 1 reply command produced, 1 reply and 1 "
                    + "assignment through the gateway, all on the poisoned partition | folded once, one final outcome each, "
                    + "the gateway reads the outcome, session shows the assignee | " + goodLost + " | " + goodDuplicated
                    + " | outcomes " + outcomeMix(outcomes) + " |");

            Map<String, List<PoisonRecords.Fate>> byTopic = fates.stream()
                    .collect(Collectors.groupingBy(f -> f.poison().topic(), TreeMap::new, Collectors.toList()));
            byTopic.forEach((topic, list) -> {
                List<String> missing = list.stream().filter(f -> f.poison().value() != null && (f.copies() == 0 || f.cause() == null))
                        .map(f -> f.poison().kind()).toList();
                String kinds = list.stream().map(f -> f.poison().kind() + (f.poison().value() == null ? " (skipped, no dead letter expected)"
                        : " x" + f.copies())).collect(Collectors.joining(", "));
                report.add(Check.of("kafka", "poison on " + topic + ": dead-lettered with a cause", missing.isEmpty(),
                        kinds + (missing.isEmpty() ? "" : "; not dead-lettered: " + missing)));
                String readers = PoisonRecords.CONSUMED.keySet().stream().filter(t -> t.name().equals(topic))
                        .map(PoisonRecords.CONSUMED::get).findFirst().orElse("?");
                String cause = list.stream().map(PoisonRecords.Fate::cause).filter(java.util.Objects::nonNull).findFirst().orElse("-");
                rows.add("| poison on " + topic + " (read by " + readers + ") | " + list.size() + " records: " + kinds
                        + " | each on " + topic + "-dlt (one copy per reader) with its cause | " + missing.size() + " | - | "
                        + (missing.isEmpty() ? "" : "not dead-lettered: " + missing + "; ") + "e.g. " + cause.replace("|", "/") + " |");
            });
        }
    }

    /** Each good conversation's folded count, read from the mark to the end offsets after the load. */
    private static Map<String, Long> foldedCounts(Harness harness, Map<TopicPartition, Long> from, Map<String, Long> expected,
                                                  Duration timeout) {
        return FoldedCounts.read(harness, from, expected.keySet(), FoldedCounts.grewBy(expected, Map.of()), timeout);
    }

    private static SessionState latestSession(Harness harness, Map<TopicPartition, Long> from, String conversation,
                                              java.util.function.Predicate<SessionState> done, Duration timeout) {
        SessionState[] latest = new SessionState[1];
        try (KafkaConsumer<String, Object> consumer = harness.kafka().avroConsumer()) {
            harness.kafka().readUntil(consumer, List.of(Topics.CONVERSATION_SESSIONS.name()), from, r -> {
                if (r.value() instanceof SessionState s && s.getConversationId().equals(conversation)) {
                    latest[0] = s;
                }
            }, () -> latest[0] != null && done.test(latest[0]), timeout);
        }
        return latest[0];
    }

    /** The gateway's view of the reply's outcome, once final (or the last answer when the time is up). */
    private static String readReply(Harness harness, String commandId, String token, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Json.Answer answer;
        do {
            answer = harness.json().get(harness.endpoints().ingest() + "/api/v1/replies/" + commandId,
                    "Authorization", "Bearer " + token);
            if (answer.ok() && answer.body().replace(" ", "").contains("\"final\":true")) {
                return answer.body().replace(" ", "");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        } while (System.nanoTime() < deadline);
        return answer.status() + " " + answer.body();
    }

    private static String health(Harness harness, String service) {
        Endpoints e = harness.endpoints();
        String base = switch (service) {
            case "ingest-service" -> e.ingestManagement();
            case "session-service" -> e.sessionManagement();
            case "dispatch-service" -> e.dispatchManagement();
            default -> e.sandbox();
        };
        Json.Answer answer = harness.json().get(base + "/actuator/health");
        return answer.status() + " " + (answer.status() > 0 ? answer.json().path("status").asText() : answer.body());
    }

    private static String commandId(String body) {
        try {
            return Json.MAPPER.readTree(body).path("commandId").asText(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String outcomeMix(Outcomes outcomes) {
        Map<String, Long> mix = new TreeMap<>();
        outcomes.finals().values().forEach(f -> mix.merge(f.outcome().getStatus() + "/" + f.outcome().getStep(), 1L, Long::sum));
        return mix.toString();
    }
}
