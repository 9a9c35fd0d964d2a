package com.answerline.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/monitoring checked with the real promtool: both scrape configurations, the alert rules, their unit tests on
 * synthetic series, and the PromQL of every dashboard panel. Also writes every expression the dashboards and alerts
 * use to target/live-check-expressions.txt: the list to run against a scraping Prometheus (does each return series?).
 */
class MonitoringTest {

    private static final Path MONITORING = Tool.ROOT.resolve("deploy/monitoring");
    private static final Path PROMETHEUS = MONITORING.resolve("prometheus");
    private static final Path RULES = PROMETHEUS.resolve("rules/answerline-alerts.yml");
    private static final Path RULE_TESTS = PROMETHEUS.resolve("tests/answerline-alerts.test.yml");
    private static final Path DASHBOARDS = MONITORING.resolve("grafana/dashboards");
    private static final Set<String> JOBS = Set.of("ingest-service", "session-service", "dispatch-service");

    private final Tool promtool = Tool.promtool();

    @Test
    void scrapeConfigurationsAreValidAndScrapeEveryService() throws IOException {
        for (String config : List.of("prometheus.yml", "prometheus-compose.yml")) {
            promtool.succeed(PROMETHEUS, "check", "config", config);
            Map<String, Object> parsed = yaml(PROMETHEUS.resolve(config));
            Set<String> jobs = new LinkedHashSet<>();
            for (Map<String, Object> job : list(parsed.get("scrape_configs"))) {
                jobs.add((String) job.get("job_name"));
                assertThat(job.get("metrics_path")).as(config + " " + job.get("job_name")).isEqualTo("/actuator/prometheus");
            }
            assertThat(jobs).as(config).containsExactlyInAnyOrderElementsOf(JOBS);
        }
        // Every service's actuator is on its management port (the API ports serve none), all loopback.
        String local = Files.readString(PROMETHEUS.resolve("prometheus.yml"));
        assertThat(local).contains("127.0.0.1:9081", "127.0.0.1:9082", "127.0.0.1:9083").doesNotContain("0.0.0.0")
                .doesNotContain("127.0.0.1:8082", "127.0.0.1:8083");
    }

    @Test
    void alertRulesAreValidAndEachHasItsRunbook() throws IOException {
        promtool.succeed(PROMETHEUS, "check", "rules", "rules/answerline-alerts.yml");
        String runbook = Files.readString(MONITORING.resolve("RUNBOOK.md"));
        Map<String, Map<String, Object>> alerts = alerts();
        assertThat(alerts.keySet()).containsExactlyInAnyOrder("AnswerlineServiceDown", "AnswerlineWindowsExpiring",
                "AnswerlineWindowsClosedUnanswered", "AnswerlineWebhookSignatureFailures", "AnswerlineWebhook5xx", "AnswerlineWebhooksShed",
                "AnswerlineDispatchFailureRate", "AnswerlineFallbackRateJump", "AnswerlineProviderCircuitOpen",
                "AnswerlineParkedRepliesPilingUp", "AnswerlineDirectSendBlocked", "AnswerlineHeldAnswersPilingUp", "AnswerlineHeldAnswersExpiring",
                "AnswerlineConsumerLag", "AnswerlineDeadLetters");
        alerts.forEach((name, rule) -> {
            Map<String, Object> annotations = map(rule.get("annotations"));
            assertThat(annotations).as(name).containsKeys("summary", "description", "runbook");
            assertThat(annotations.get("runbook")).as(name)
                    .isEqualTo("deploy/monitoring/RUNBOOK.md#" + name.toLowerCase(Locale.ROOT));
            assertThat(runbook).as("RUNBOOK.md section for " + name).contains("\n## " + name + "\n");
            assertThat(map(rule.get("labels"))).as(name).containsKey("severity");
        });
    }

    @Test
    void everyAlertIsUnitTestedFiringAndQuiet() throws IOException {
        Tool.Result result = promtool.succeed(PROMETHEUS.resolve("tests"), "test", "rules", RULE_TESTS.getFileName().toString());
        assertThat(result.output()).contains("SUCCESS");

        Set<String> fires = new LinkedHashSet<>();
        Set<String> quiet = new LinkedHashSet<>();
        for (Map<String, Object> test : list(yaml(RULE_TESTS).get("tests"))) {
            for (Map<String, Object> check : list(test.get("alert_rule_test"))) {
                String alert = (String) check.get("alertname");
                List<?> expected = (List<?>) check.get("exp_alerts");
                (expected == null || expected.isEmpty() ? quiet : fires).add(alert);
                if (expected != null) {
                    for (Object one : expected) {
                        // Rendered annotations are compared too: a broken template fails the test.
                        assertThat(map(map(one).get("exp_annotations"))).as(alert).containsKeys("summary", "description", "runbook");
                    }
                }
            }
        }
        Set<String> names = alerts().keySet();
        assertThat(fires).as("alerts tested firing").containsExactlyInAnyOrderElementsOf(names);
        assertThat(quiet).as("alerts tested not firing (an explicit empty exp_alerts)").containsExactlyInAnyOrderElementsOf(names);
    }

    @Test
    void everyDashboardQueryIsValidPromQl() throws IOException {
        Map<String, String> expressions = dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThan(30);
        // promtool has no expression checker of its own: each panel query becomes a recording rule, which
        // `check rules` parses. Grafana's $__rate_interval is replaced by a duration as Grafana would.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        int i = 0;
        for (String expression : expressions.values()) {
            rules.append("      - record: dashboard:expr:").append(i++).append('\n')
                    .append("        expr: '").append(expression.replace("$__rate_interval", "1m").replace("'", "''"))
                    .append("'\n");
        }
        Path target = Tool.ROOT.resolve("deploy/ops-check/target");
        Files.createDirectories(target);
        Path file = target.resolve("dashboard-expressions.rules.yml");
        Files.writeString(file, rules);
        promtool.succeed(target, "check", "rules", file.getFileName().toString());

        // The list for the live check against a running stack (the lead's, issue 6 section 2).
        List<String> lines = new ArrayList<>();
        alerts().forEach((name, rule) -> lines.add("alert " + name + "\t" + ((String) rule.get("expr")).replaceAll("\\s+", " ").trim()));
        expressions.forEach((panel, expression) -> lines.add("panel " + panel + "\t" + expression));
        Files.write(target.resolve("live-check-expressions.txt"), lines);

        for (String expression : expressions.values()) {
            assertThat(expression).as("label values are never conversation ids or numbers")
                    .doesNotContainPattern("conversation(_id)?=").doesNotContain("phone");
        }
    }

    @Test
    void dashboardsAreProvisionedWithTheDatasourceTheyName() throws IOException {
        Map<String, Object> datasources = yaml(MONITORING.resolve("grafana/provisioning/datasources/prometheus.yml"));
        assertThat(list(datasources.get("datasources"))).extracting(d -> d.get("uid")).containsExactly("prometheus");
        Map<String, Object> providers = yaml(MONITORING.resolve("grafana/provisioning/dashboards/answerline.yml"));
        assertThat(list(providers.get("providers"))).hasSize(1);
        Set<String> uids = new LinkedHashSet<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                Map<String, Object> dashboard = yaml(file);
                uids.add((String) dashboard.get("uid"));
                for (Map<String, Object> panel : list(dashboard.get("panels"))) {
                    assertThat(map(panel.get("datasource")).get("uid")).as(file + " " + panel.get("title")).isEqualTo("prometheus");
                }
            }
        }
        assertThat(uids).containsExactlyInAnyOrder("answerline-traffic", "answerline-windows", "answerline-channels",
                "answerline-providers", "answerline-kafka", "answerline-jvm");
    }

    static Map<String, Map<String, Object>> alerts() throws IOException {
        Map<String, Map<String, Object>> alerts = new LinkedHashMap<>();
        for (Map<String, Object> group : list(yaml(RULES).get("groups"))) {
            for (Map<String, Object> rule : list(group.get("rules"))) {
                alerts.put((String) rule.get("alert"), rule);
            }
        }
        return alerts;
    }

    static Map<String, String> dashboardExpressions() throws IOException {
        Map<String, String> expressions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                Map<String, Object> dashboard = yaml(file);
                for (Map<String, Object> panel : list(dashboard.get("panels"))) {
                    for (Map<String, Object> target : list(panel.get("targets"))) {
                        expressions.put(dashboard.get("uid") + " / " + panel.get("title") + " / " + target.get("refId"),
                                (String) target.get("expr"));
                    }
                }
            }
        }
        return expressions;
    }

    static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }
}
