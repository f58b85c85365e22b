package io.vmport.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One value of a YAML document as written: a scalar keeps its text exactly as in the file (so {@code 05060}
 * stays {@code 05060} instead of becoming the octal 2608), and every node keeps its line for messages.
 *
 * @param kind   what YAML made of it
 * @param text   a scalar's text as written; empty for a map, a list and an empty value
 * @param line   1-based line of the node (of its key, when it is a map's value)
 * @param fields a map's entries in file order; empty otherwise
 * @param items  a list's items; empty otherwise
 */
record YamlNode(Kind kind, String text, int line, Map<String, YamlNode> fields, List<YamlNode> items) {
    private static final int SHOWN_MAX = 60;
    private static final Pattern PATH_PART = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    enum Kind { MAP, LIST, STRING, INTEGER, FLOAT, TRUE, FALSE, NULL }

    static YamlNode scalar(Kind kind, String text, int line) {
        return new YamlNode(kind, text, line, Map.of(), List.of());
    }

    boolean isScalar() {
        return kind != Kind.MAP && kind != Kind.LIST;
    }

    /** The value as shown in a message: a scalar as written, a map or list in short flow form. */
    String shown() {
        String full = render();
        return full.length() <= SHOWN_MAX ? full : full.substring(0, SHOWN_MAX - 3) + "...";
    }

    private String render() {
        if (kind == Kind.MAP) {
            StringBuilder out = new StringBuilder("{");
            fields.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(k).append(": ").append(v.render()));
            return out.append('}').toString();
        }
        if (kind == Kind.LIST) {
            StringBuilder out = new StringBuilder("[");
            items.forEach(v -> out.append(out.length() > 1 ? ", " : "").append(v.render()));
            return out.append(']').toString();
        }
        return text;
    }

    /** The line of the node at a dotted path such as {@code sip.allow[1]}, or of its nearest present parent. */
    int lineOf(String path) {
        YamlNode node = this;
        Matcher part = PATH_PART.matcher(path == null ? "" : path);
        while (part.find()) {
            YamlNode next = null;
            if (part.group(1) != null && node.kind == Kind.MAP) {
                next = node.fields.get(part.group(1));
            } else if (part.group(2) != null && node.kind == Kind.LIST) {
                int index = Integer.parseInt(part.group(2));
                next = index < node.items.size() ? node.items.get(index) : null;
            }
            if (next == null) {
                break;
            }
            node = next;
        }
        return node.line;
    }
}
