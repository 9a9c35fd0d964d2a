package com.answerline.bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The result of a harness run: a table for people and one machine-readable line ({@code BENCH_RESULT {...}}), the
 * same content. Figures never fail a run; checks do.
 */
public final class Report {

    public static final String RESULT_PREFIX = "BENCH_RESULT ";

    private final String title;
    private final Map<String, Object> context = new LinkedHashMap<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Report(String title) {
        this.title = title;
    }

    public Report context(String key, Object value) {
        context.put(key, value);
        return this;
    }

    public synchronized void add(Figure figure) {
        figures.add(figure);
    }

    /** Replaces a figure by another (the same figure, related to a baseline measured later). */
    public synchronized void replace(Figure old, Figure replacement) {
        int index = figures.indexOf(old);
        if (index >= 0) {
            figures.set(index, replacement);
        }
    }

    public synchronized void add(Check check) {
        checks.add(check);
    }

    public synchronized void note(String note) {
        notes.add(note);
    }

    public synchronized List<Figure> figures() {
        return List.copyOf(figures);
    }

    public synchronized List<Check> checks() {
        return List.copyOf(checks);
    }

    public boolean passed() {
        return checks().stream().allMatch(Check::passed);
    }

    public void print(PrintStream out) {
        out.println();
        out.println("== " + title + " ==");
        context.forEach((k, v) -> out.println("  " + k + ": " + v));
        out.println();
        String format = "%-9s %-44s %12s %-6s %-34s %7s %-12s %s%n";
        out.printf(format, "stage", "measure", "value", "unit", "baseline", "ratio", "target", "");
        for (Figure f : figures()) {
            String baseline = f.baseline() == null ? "" : f.baselineName() + " " + number(f.baseline());
            String ratio = f.ratio() == null ? "" : String.format(Locale.ROOT, "%.2f", f.ratio());
            String met = f.met() == null ? "" : f.met() ? "met" : "MISSED";
            out.printf(format, f.stage(), f.measure(), number(f.value()), f.unit(), baseline, ratio, f.targetText(), met);
        }
        out.println();
        for (Check c : checks()) {
            out.printf("  %-4s %s%n", c.passed() ? "ok" : "FAIL", c.describe());
        }
        for (String note : notes) {
            out.println("  note: " + note);
        }
        out.println();
        out.println(RESULT_PREFIX + json());
        out.flush();
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", title);
        root.putAll(context);
        List<Map<String, Object>> fs = new ArrayList<>();
        for (Figure f : figures()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", f.stage());
            m.put("measure", f.measure());
            m.put("value", round(f.value()));
            m.put("unit", f.unit());
            if (f.baseline() != null) {
                m.put("baseline", f.baselineName());
                m.put("baselineValue", round(f.baseline()));
                m.put("ratio", round(f.ratio()));
            }
            if (f.target() != null) {
                m.put("target", f.targetText());
                m.put("met", f.met());
            }
            fs.add(m);
        }
        root.put("figures", fs);
        List<Map<String, Object>> cs = new ArrayList<>();
        for (Check c : checks()) {
            cs.add(Map.of("stage", c.stage(), "what", c.what(), "passed", c.passed(), "detail", c.detail()));
        }
        root.put("checks", cs);
        root.put("passed", passed());
        try {
            return new ObjectMapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json() + "\n");
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** 12,345 for large figures, 3 significant decimals for small ones. */
    public static String number(double value) {
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
