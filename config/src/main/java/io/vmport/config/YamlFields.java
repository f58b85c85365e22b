package io.vmport.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads the fields of one YAML map, knowing its dotted path, so that every refusal names the field, the value
 * as written and what is allowed. The keys a map may have are declared up front: any other key, such as the
 * typo {@code heartbeatIntervalMS}, is refused before any value is read, never ignored. {@link #done()} then
 * checks that the mapping code read every key it declared and the file gave.
 */
final class YamlFields {
    /** Decimal digits as YAML writes them; not octal 0755, hex 0x1F or binary 0b101. */
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(0|[1-9](_?[0-9])*)");
    private static final String TOP_LEVEL = "(top level)";

    private final String path;
    private final YamlNode map;
    private final List<String> keys;
    private final Set<String> read = new HashSet<>();

    private YamlFields(String path, YamlNode map, List<String> keys) {
        this.path = path;
        this.map = map;
        this.keys = keys;
    }

    /** The map at {@code path}, which may hold only {@code keys}. */
    static YamlFields of(String path, YamlNode node, String... keys) {
        List<String> allowed = List.of(keys);
        if (node.kind() != YamlNode.Kind.MAP) {
            throw new ConfigException(path.isEmpty() ? TOP_LEVEL : path, node.shown(), mapText(allowed));
        }
        for (String key : node.fields().keySet()) {
            if (!allowed.contains(key)) {
                String level = path.isEmpty() ? "the top level" : path;
                throw ConfigException.unknownKey(join(path, key), key,
                        "the keys of " + level + ": " + String.join(", ", allowed) + suggestion(key, allowed));
            }
        }
        return new YamlFields(path, node, allowed);
    }

    /** The dotted path of a key of this map. */
    String path(String key) {
        return join(path, key);
    }

    boolean has(String key) {
        declared(key);
        return map.fields().containsKey(key);
    }

    /** A map-valued key that must be given. */
    YamlFields map(String key, String... keys) {
        return of(path(key), required(key, mapText(List.of(keys))), keys);
    }

    Optional<YamlFields> optionalMap(String key, String... keys) {
        return optional(key).map(node -> of(path(key), node, keys));
    }

    /** A string that must be given. */
    String string(String key, String allowed) {
        return text(key, required(key, allowed), allowed, false);
    }

    Optional<String> optionalString(String key, String allowed) {
        return optional(key).map(node -> text(key, node, allowed, false));
    }

    /** A string that must be given and is never shown in a message. */
    String secret(String key, String allowed) {
        return text(key, required(key, allowed), allowed, true);
    }

    /** An integer that must be given, from {@code min} to {@code max}. */
    long integer(String key, long min, long max) {
        return integer(key, required(key, Checks.rangeText(min, max)), min, max);
    }

    /**
     * An integer from {@code min} to {@code max}, or {@code otherwise} when not given. A default outside the
     * range (it can be, when the range depends on another field) is refused, not adjusted.
     */
    long integerOr(String key, long min, long max, long otherwise) {
        Optional<YamlNode> node = optional(key);
        if (node.isPresent()) {
            return integer(key, node.get(), min, max);
        }
        if (otherwise < min || otherwise > max) {
            throw new ConfigException(path(key), null, Checks.rangeText(min, max) + " (its default, " + otherwise
                    + ", is not, so give a value)");
        }
        return otherwise;
    }

    /** {@code true} or {@code false} (YAML's yes/no and on/off too), or {@code otherwise} when not given. */
    boolean booleanOr(String key, boolean otherwise) {
        Optional<YamlNode> given = optional(key);
        if (given.isEmpty()) {
            return otherwise;
        }
        YamlNode node = given.get();
        if (node.kind() == YamlNode.Kind.TRUE || node.kind() == YamlNode.Kind.FALSE) {
            return node.kind() == YamlNode.Kind.TRUE;
        }
        if (node.kind() == YamlNode.Kind.STRING && (node.text().equals("true") || node.text().equals("false"))) {
            return node.text().equals("true");
        }
        throw new ConfigException(path(key), node.shown(), "true or false");
    }

    /**
     * A non-empty list of strings that must be given, each turned into a value by {@code parse(field, text)},
     * where the field is e.g. {@code sip.allow[2]}.
     */
    <T> List<T> list(String key, String allowed, BiFunction<String, String, T> parse) {
        YamlNode node = required(key, allowed);
        if (node.kind() != YamlNode.Kind.LIST || node.items().isEmpty()) {
            throw new ConfigException(path(key), node.shown(), allowed);
        }
        List<T> values = new ArrayList<>();
        for (YamlNode item : node.items()) {
            String field = path(key) + "[" + values.size() + "]";
            if (item.kind() != YamlNode.Kind.STRING) {
                throw new ConfigException(field, item.shown(), allowed);
            }
            values.add(parse.apply(field, item.text()));
        }
        return List.copyOf(values);
    }

    /** Fails when a key that this map may hold and the file gives was never read: a bug, not a user error. */
    void done() {
        for (String key : map.fields().keySet()) {
            if (!read.contains(key)) {
                throw new IllegalStateException(path(key) + " is allowed but was never read");
            }
        }
    }

    private YamlNode required(String key, String allowed) {
        return optional(key).orElseThrow(() -> new ConfigException(path(key), null, allowed));
    }

    private Optional<YamlNode> optional(String key) {
        declared(key);
        read.add(key);
        return Optional.ofNullable(map.fields().get(key));
    }

    private String text(String key, YamlNode node, String allowed, boolean secret) {
        if (node.kind() == YamlNode.Kind.STRING) {
            return node.text();
        }
        String shown = secret && node.kind() != YamlNode.Kind.NULL ? Secrets.hidden(node.shown()) : node.shown();
        if (node.isScalar() && node.kind() != YamlNode.Kind.NULL) {
            // 0123 is an octal number to YAML and yes a boolean: only quotes keep them as written.
            allowed += " (put quotes around a value that YAML would read as a number or true/false)";
        }
        throw new ConfigException(path(key), shown, allowed);
    }

    private long integer(String key, YamlNode node, long min, long max) {
        String allowed = Checks.rangeText(min, max);
        boolean integral = node.kind() == YamlNode.Kind.INTEGER || node.kind() == YamlNode.Kind.STRING;
        if (!integral || !DECIMAL.matcher(node.text()).matches()) {
            if (node.kind() == YamlNode.Kind.INTEGER) {
                allowed += ", in decimal digits (YAML reads a leading 0 as octal, 0x as hex)";
            }
            throw new ConfigException(path(key), node.shown(), allowed);
        }
        BigInteger value = new BigInteger(node.text().replace("_", "").replace("+", ""));
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new ConfigException(path(key), node.text(), allowed);
        }
        return value.longValueExact();
    }

    private void declared(String key) {
        if (!keys.contains(key)) {
            throw new IllegalStateException(path(key) + " is read but not declared among " + keys);
        }
    }

    private static String mapText(List<String> keys) {
        return "a map with the keys " + String.join(", ", keys);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * The declared key that the unknown one is most likely a typo of, ignoring case: at most one edit away, two
     * for a key of 8 letters or more.
     */
    private static String suggestion(String key, List<String> allowed) {
        String best = null;
        int bestDistance = (key.length() >= 8 ? 2 : 1) + 1;
        for (String candidate : allowed) {
            int distance = editDistance(candidate.toLowerCase(Locale.ROOT), key.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
