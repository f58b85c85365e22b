package io.vmport.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML document into {@link YamlNode}s from Jackson's YAML token stream. Jackson's own tree
 * ({@code JsonNode}) would lose what a configuration message needs: the text of a scalar as written (it turns
 * {@code 05060} into 2608 and an alias {@code *x} into the string "x") and the line of each value. Refused
 * here, with the line: syntax errors, a key given twice in one map, aliases, and a second document.
 */
final class YamlReader {
    static final String YAML_TEXT = "a YAML map of keys, one per line, indented with spaces";

    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private final YAMLParser parser;
    private final String source;

    private YamlReader(YAMLParser parser, String source) {
        this.parser = parser;
        this.source = source;
    }

    /** The document's top-level node; an empty document is an empty ({@code NULL}) node on line 1. */
    static YamlNode read(String yaml, String source) {
        try (YAMLParser parser = FACTORY.createParser(yaml)) {
            YamlReader reader = new YamlReader(parser, source);
            if (parser.nextToken() == null) {
                return YamlNode.scalar(YamlNode.Kind.NULL, "", 1);
            }
            YamlNode root = reader.node("", line(parser.currentTokenLocation()));
            if (parser.nextToken() != null) {
                throw ConfigException.document(source, line(parser.currentTokenLocation()), -1,
                        "a second YAML document starts here", "one document per file", null);
            }
            return root;
        } catch (StreamReadException e) {
            throw notYaml(source, e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading YAML from a string", e);
        }
    }

    private YamlNode node(String path, int line) throws IOException {
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT:
                return map(path, line);
            case START_ARRAY:
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(node(path + "[" + items.size() + "]", line(parser.currentTokenLocation())));
                }
                return new YamlNode(YamlNode.Kind.LIST, "", line, Map.of(), List.copyOf(items));
            case VALUE_STRING:
                if (parser.isCurrentAlias()) {
                    throw new ConfigException(path, "*" + parser.getText(), "a value written out; aliases (*name) "
                            + "are not supported").at(source + ", line " + line);
                }
                return YamlNode.scalar(YamlNode.Kind.STRING, parser.getText(), line);
            case VALUE_NUMBER_INT:
                return YamlNode.scalar(YamlNode.Kind.INTEGER, parser.getText(), line);
            case VALUE_NUMBER_FLOAT:
                return YamlNode.scalar(YamlNode.Kind.FLOAT, parser.getText(), line);
            case VALUE_TRUE:
                return YamlNode.scalar(YamlNode.Kind.TRUE, parser.getText(), line);
            case VALUE_FALSE:
                return YamlNode.scalar(YamlNode.Kind.FALSE, parser.getText(), line);
            case VALUE_NULL:
                return YamlNode.scalar(YamlNode.Kind.NULL, parser.getText(), line);
            default: // VALUE_EMBEDDED_OBJECT: !!binary
                throw new ConfigException(path, parser.getText(), "a plain YAML value (no !!binary)")
                        .at(source + ", line " + line);
        }
    }

    private YamlNode map(String path, int line) throws IOException {
        Map<String, YamlNode> fields = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            int keyLine = line(parser.currentTokenLocation());
            String keyPath = path.isEmpty() ? key : path + "." + key;
            parser.nextToken();
            YamlNode value = node(keyPath, keyLine);
            YamlNode earlier = fields.putIfAbsent(key, value);
            if (earlier != null) {
                throw ConfigException.duplicateKey(keyPath, key, earlier.line()).at(source + ", line " + keyLine);
            }
        }
        return new YamlNode(YamlNode.Kind.MAP, "", line, Collections.unmodifiableMap(fields), List.of());
    }

    private static ConfigException notYaml(String source, StreamReadException e) {
        String problem = e.getOriginalMessage();
        int line = line(e.getLocation());
        int column = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
        if (e.getCause() instanceof MarkedYAMLException) {
            MarkedYAMLException yaml = (MarkedYAMLException) e.getCause();
            problem = (yaml.getContext() == null ? "" : yaml.getContext() + ": ") + yaml.getProblem();
            Mark mark = yaml.getProblemMark();
            if (mark != null) {
                line = mark.getLine() + 1;
                column = mark.getColumn() + 1;
            }
        }
        return ConfigException.document(source, line, column, "not valid YAML: " + problem, YAML_TEXT, e);
    }

    private static int line(JsonLocation location) {
        return location == null ? -1 : location.getLineNr();
    }
}
