package com.answerline.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the three commands (benchmark, faults, bad-inputs) share around their run: {@code --name value} options
 * ({@code --smoke} alone), the stack's paths, and the ending (print the report, write it to {@code --out}, exit 0
 * when every check passed).
 */
public record CommandLine(Map<String, String> options) {

    public static CommandLine parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            if (name.equals("smoke")) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        return new CommandLine(Map.copyOf(options));
    }

    public boolean smoke() {
        return options.containsKey("smoke");
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public String get(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    /** The repository root the stack runs from ({@code --root}, default the working directory). */
    public Path root() {
        return Path.of(get("root", "."));
    }

    /** The stack's data folder ({@code --data-dir}). */
    public Path dataDir() {
        return Path.of(get("data-dir", ".data"));
    }

    /** Prints the report, writes it to {@code --out} when given, and exits 0 only when every check passed. */
    public void finish(Report report) throws IOException {
        report.print(System.out);
        if (has("out")) {
            report.write(Path.of(options.get("out")));
        }
        System.exit(report.passed() ? 0 : 1);
    }
}
