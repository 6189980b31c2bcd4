package dev.steadfast.dicom.json;

import dev.steadfast.dicom.json.JsonParser.Arr;
import dev.steadfast.dicom.json.JsonParser.Lit;
import dev.steadfast.dicom.json.JsonParser.Node;
import dev.steadfast.dicom.json.JsonParser.Num;
import dev.steadfast.dicom.json.JsonParser.Obj;
import dev.steadfast.dicom.json.JsonParser.Str;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/** Test helpers over the parser's tree: parse, and print compactly (truncating long values). */
final class Nodes {
    private Nodes() {}

    static Node parse(String json) {
        try {
            return new JsonParser(new StringReader(json), Long.MAX_VALUE).parseDocument();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String canonical(String json) {
        return canonical(parse(json));
    }

    /** Canonical text: members sorted, so two trees compare by their text. */
    static String canonical(Node n) {
        return switch (n) {
            case null -> "-";
            case Obj o -> o.members().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .map(e -> '"' + e.getKey() + "\":" + canonical(e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
            case Arr a -> a.items().stream().map(Nodes::canonical).collect(Collectors.joining(",", "[", "]"));
            case Str s -> '"' + s.value() + '"';
            case Num x -> x.text();
            case Lit l -> String.valueOf(l.value());
        };
    }

    static String text(Node n) {
        String s = canonical(n);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
