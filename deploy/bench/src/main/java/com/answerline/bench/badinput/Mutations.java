package com.answerline.bench.badinput;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.answerline.bench.traffic.Json;

/**
 * Generated bad inputs, from a seed (a run can be repeated): bodies derived from a valid JSON body of the endpoint
 * (broken JSON, wrong types, missing fields, huge fields, unicode edge cases, injection strings, deep nesting) and
 * bad strings for paths, query parameters and headers. Each variant names its kind, so the report can say which
 * kind of input got which answer.
 */
final class Mutations {

    /** One generated input: its kind and bytes. */
    record Variant(String kind, byte[] bytes) {
    }

    /** Strings that have broken parsers, templates, loggers and databases elsewhere. */
    static final List<String> INJECTIONS = List.of(
            "' OR '1'='1' --", "\"; DROP TABLE sessions; --", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1:1/a}",
            "../../../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%00", "{{7*7}}", "#{7*7}", "$(id)", "`id`",
            "\r\nX-Injected: 1", "line\n2026-12-04 INFO forged log line", "%s%s%s%n", "{\"$ne\":null}", "\\", "\"",
            "*", "%", "null", "-1", "1e309", "NaN");

    /** Unicode edge cases, as Java strings (valid UTF-16 or lone surrogates, which JSON can escape). */
    static final List<String> UNICODE = List.of(
            "\uD800", "\uDFFF", "\uD83D", "\u0000", "\u202Eevil\u202C", "\uFEFFbom", "\u200B\u200D\u2060",
            "👩‍👩‍👧‍👦🏳️‍🌈", "𝕳𝖊𝖑𝖑𝖔", "e" + "\u0301".repeat(2000), "\uFFFF\uFFFE", "ﷺ".repeat(500), "\u0085\u2028\u2029",
            "Ａ１２３", "٣١٦١٢٣٤٥٦٧٨");

    /** Byte sequences that are not UTF-8 at all. */
    private static final List<byte[]> INVALID_UTF8 = List.of(new byte[] {(byte) 0xC3, 0x28},
            new byte[] {(byte) 0xFF, (byte) 0xFE}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xC0, (byte) 0xAF});

    private static final String MARK = "@@BAD@@";

    private final Random random;

    Mutations(long seed) {
        this.random = new Random(seed);
    }

    /** {@code count} bad variants of a valid JSON body. */
    List<Variant> bodies(JsonNode valid, int count) {
        List<Variant> variants = new ArrayList<>(count);
        byte[] validBytes = bytes(valid);
        for (int i = 0; i < count; i++) {
            variants.add(body(valid, validBytes, i));
        }
        return variants;
    }

    private Variant body(JsonNode valid, byte[] validBytes, int i) {
        List<String> paths = valuePaths(valid);
        String path = paths.get(random.nextInt(paths.size()));
        switch (i % 12) {
            case 0:
                return new Variant("broken-json", java.util.Arrays.copyOf(validBytes, random.nextInt(validBytes.length)));
            case 1: {
                byte[] copy = validBytes.clone();
                String breakers = "{}[]\",:\\x\u0000";
                copy[random.nextInt(copy.length)] = (byte) breakers.charAt(random.nextInt(breakers.length()));
                return new Variant("broken-json", copy);
            }
            case 2:
                return new Variant("wrong-type", bytes(replace(valid, path, wrongType())));
            case 3:
                return new Variant("missing-field", bytes(remove(valid, path)));
            case 4: {
                // A huge field: 64 KiB to 1 MiB of text (the whole body stays under ingest's 3 MB limit).
                int size = 64 * 1024 << random.nextInt(5);
                return new Variant("huge-field", bytes(replace(valid, path, JsonNodeFactory.instance.textNode("x".repeat(size)))));
            }
            case 5:
                return new Variant("unicode", bytes(replace(valid, path,
                        JsonNodeFactory.instance.textNode(UNICODE.get(random.nextInt(UNICODE.size()))))));
            case 6: {
                byte[] bad = INVALID_UTF8.get(random.nextInt(INVALID_UTF8.size()));
                return new Variant("invalid-utf8", splice(bytes(replace(valid, path, JsonNodeFactory.instance.textNode(MARK))),
                        MARK.getBytes(StandardCharsets.UTF_8), bad));
            }
            case 7:
                return new Variant("injection", bytes(replace(valid, path,
                        JsonNodeFactory.instance.textNode(INJECTIONS.get(random.nextInt(INJECTIONS.size()))))));
            case 8: {
                // Written as text: Jackson itself refuses to write (or read) nesting this deep, which is the point.
                int levels = 2_000 + random.nextInt(20_000);
                byte[] deep = ("[".repeat(levels) + "]".repeat(levels)).getBytes(StandardCharsets.UTF_8);
                return new Variant("deep-nesting", splice(bytes(replace(valid, path, JsonNodeFactory.instance.textNode(MARK))),
                        ("\"" + MARK + "\"").getBytes(StandardCharsets.UTF_8), deep));
            }
            case 9:
                return new Variant("not-an-object", List.of("", "null", "[]", "42", "\"text\"", "{", "}", "[{}]", "{}")
                        .get(random.nextInt(9)).getBytes(StandardCharsets.UTF_8));
            case 10: {
                // A duplicated key with a wrong-typed second value.
                String text = new String(validBytes, StandardCharsets.UTF_8);
                return new Variant("duplicate-key", text.replaceFirst("^\\{", "{\"" + lastName(path) + "\":[1,2],")
                        .getBytes(StandardCharsets.UTF_8));
            }
            default:
                return new Variant("long-array", bytes(replace(valid, path, array(5_000 + random.nextInt(50_000)))));
        }
    }

    /** {@code count} bad strings for a path segment, query parameter or header value. */
    List<String> strings(int count) {
        List<String> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            switch (i % 5) {
                case 0 -> strings.add(INJECTIONS.get(random.nextInt(INJECTIONS.size())));
                case 1 -> strings.add(UNICODE.get(random.nextInt(UNICODE.size())));
                case 2 -> strings.add("9".repeat(16 << random.nextInt(12)));
                case 3 -> strings.add("");
                default -> strings.add(Long.toString(random.nextLong()));
            }
        }
        return strings;
    }

    int nextInt(int bound) {
        return random.nextInt(bound);
    }

    private JsonNode wrongType() {
        return switch (random.nextInt(7)) {
            case 0 -> JsonNodeFactory.instance.numberNode(random.nextLong());
            case 1 -> JsonNodeFactory.instance.booleanNode(true);
            case 2 -> JsonNodeFactory.instance.arrayNode().add("a").add(1);
            case 3 -> JsonNodeFactory.instance.objectNode().put("a", 1);
            case 4 -> JsonNodeFactory.instance.nullNode();
            case 5 -> JsonNodeFactory.instance.numberNode(1.5e308);
            default -> JsonNodeFactory.instance.textNode("not-what-was-expected");
        };
    }

    private static ArrayNode array(int size) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < size; i++) {
            array.add(i);
        }
        return array;
    }

    /** Paths ("a/0/b") of every node of the tree but the root. */
    static List<String> valuePaths(JsonNode root) {
        List<String> paths = new ArrayList<>();
        collect(root, "", paths);
        return paths.isEmpty() ? List.of("x") : paths;
    }

    private static void collect(JsonNode node, String prefix, List<String> paths) {
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                String path = prefix + "/" + name;
                paths.add(path);
                collect(node.get(name), path, paths);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String path = prefix + "/" + i;
                paths.add(path);
                collect(node.get(i), path, paths);
            }
        }
    }

    private static JsonNode replace(JsonNode root, String path, JsonNode value) {
        JsonNode copy = root.deepCopy();
        JsonNode parent = copy.at(parentOf(path));
        String name = lastName(path);
        if (parent instanceof ObjectNode object) {
            object.set(name, value);
        } else if (parent instanceof ArrayNode array) {
            array.set(Integer.parseInt(name), value);
        }
        return copy;
    }

    private static JsonNode remove(JsonNode root, String path) {
        JsonNode copy = root.deepCopy();
        JsonNode parent = copy.at(parentOf(path));
        String name = lastName(path);
        if (parent instanceof ObjectNode object) {
            object.remove(name);
        } else if (parent instanceof ArrayNode array) {
            array.remove(Integer.parseInt(name));
        }
        return copy;
    }

    private static String parentOf(String path) {
        return path.substring(0, path.lastIndexOf('/'));
    }

    private static String lastName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bytes with each {@code mark} replaced by {@code bad} (raw bytes Jackson would not write). */
    private static byte[] splice(byte[] bytes, byte[] mark, byte[] bad) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            if (i + mark.length <= bytes.length && java.util.Arrays.equals(bytes, i, i + mark.length, mark, 0, mark.length)) {
                out.writeBytes(bad);
                i += mark.length - 1;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toByteArray();
    }
}
