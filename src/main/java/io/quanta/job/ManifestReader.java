package io.quanta.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a QuantizationJob manifest (YAML, {@code quanta job run}) or spec (JSON, {@code quanta job step}) as strictly
 * as {@code kubectl apply} with strict validation, and within fixed bounds whatever the bytes:
 *
 * <ul>
 *   <li>the file's size is checked before it is read ({@link #MAX_BYTES}), and SnakeYAML's own limits are set
 *       explicitly: code points, nesting depth, aliases to collections; duplicate keys are refused;
 *   <li>aliases are expanded with a cap on the nodes they produce ({@link #MAX_NODES}), so an alias bomb (or an
 *       alias to its own ancestor) ends in a refusal rather than in memory;
 *   <li>a field the types do not know is an error naming its path ({@code spec.calibration.sampels}), and so is a
 *       value of the wrong type ({@code spec.backoffLimit: expected an integer, got "two"}); numbers are never made
 *       from strings or truncated from fractions.
 * </ul>
 *
 * Every refusal is a {@link ManifestException} with one line that starts with the source's name.
 */
public final class ManifestReader {
    /** The largest manifest or spec read: a QuantizationJob is a few KiB; the API server stops near 1.5 MiB. */
    public static final int MAX_BYTES = 1 << 20;
    /** Nesting of mappings and lists: a QuantizationJob needs fewer than 10 levels. */
    public static final int MAX_DEPTH = 50;
    /** Aliases that point to a mapping or list (SnakeYAML's count), per document. */
    public static final int MAX_COLLECTION_ALIASES = 20;
    /** Nodes after expanding aliases: far more than any manifest holds, far less than an alias bomb makes. */
    public static final int MAX_NODES = 10_000;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_DEPTH)
                            .maxStringLength(MAX_BYTES)
                            .maxDocumentLength(MAX_BYTES)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private ManifestReader() {}

    /** The SnakeYAML limits, set explicitly rather than left to the library's defaults. */
    static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(MAX_BYTES);
        o.setNestingDepthLimit(MAX_DEPTH);
        o.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
        o.setAllowDuplicateKeys(false);
        o.setAllowRecursiveKeys(false);
        o.setProcessComments(false);
        return o;
    }

    /** The YAML manifest in {@code file} as {@code type}; {@link ManifestException} naming the file otherwise. */
    public static <T> T readYaml(Path file, Class<T> type) {
        String name = file.toString();
        long size;
        try {
            if (!Files.isRegularFile(file)) {
                throw new ManifestException("no such manifest: " + file, null);
            }
            size = Files.size(file);
        } catch (IOException e) {
            throw new ManifestException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (size > MAX_BYTES) {
            throw new ManifestException(
                    name + ": " + size + " bytes is larger than a manifest may be (" + MAX_BYTES + " bytes)", null);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ManifestException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_BYTES) { // it grew since it was measured
            throw new ManifestException(name + ": larger than a manifest may be (" + MAX_BYTES + " bytes)", null);
        }
        return fromYaml(name, utf8(name, bytes), type);
    }

    /** The YAML text as {@code type}, {@code name} naming it in messages. */
    public static <T> T fromYaml(String name, String text, Class<T> type) {
        if (text.length() > MAX_BYTES) {
            throw new ManifestException(name + ": larger than a manifest may be (" + MAX_BYTES + " bytes)", null);
        }
        Node root;
        try {
            LoaderOptions options = loaderOptions();
            Parser events = new EventCap(name, new ParserImpl(new StreamReader(new StringReader(text)), options));
            root = new Composer(events, new Resolver(), options).getSingleNode();
        } catch (YAMLException e) {
            throw new ManifestException(name + " is not valid YAML: " + yamlProblem(e), null);
        } catch (StackOverflowError e) {
            throw new ManifestException(name + " is nested too deeply (at most " + MAX_DEPTH + " levels)", null);
        }
        if (root == null) {
            throw new ManifestException(name + " is empty", null);
        }
        Converter c = new Converter(name);
        JsonNode tree = c.convert(root, "", 0);
        return bind(name, tree, type, "", c.lines);
    }

    /** The JSON text as {@code type}; {@code prefix} is the path of its root in messages (e.g. "spec"). */
    public static <T> T fromJson(String name, String text, Class<T> type, String prefix) {
        if (text.length() > MAX_BYTES) {
            throw new ManifestException(
                    name + ": " + text.length() + " characters is larger than a spec may be (" + MAX_BYTES + ")", null);
        }
        JsonNode tree;
        try {
            tree = MAPPER.reader()
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(text);
        } catch (StreamConstraintsException e) {
            throw new ManifestException(name + " is nested too deeply (at most " + MAX_DEPTH + " levels)", null);
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            if (m != null && m.startsWith("Duplicate field '") && e.getProcessor() instanceof JsonParser p) {
                String field = m.substring("Duplicate field '".length(), m.length() - 1);
                String where = pathOf(prefix, p.getParsingContext());
                throw new ManifestException(name + ": duplicate field \"" + join(where, field) + "\"", null);
            }
            throw new ManifestException(
                    name + " is not valid JSON: " + oneLine(e.getOriginalMessage())
                            + (e.getLocation() == null
                                    ? ""
                                    : " (column " + e.getLocation().getColumnNr() + ")"),
                    null);
        }
        if (tree == null || tree.isMissingNode()) {
            throw new ManifestException(name + " is empty", null);
        }
        return bind(name, tree, type, prefix, Map.of());
    }

    /** The path of the object a parser is in ("spec.calibration"), from the root down. */
    private static String pathOf(String prefix, JsonStreamContext inObject) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = inObject.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
            parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        StringBuilder b = new StringBuilder(prefix);
        parts.forEach(part -> b.append(b.isEmpty() && part.startsWith(".") ? part.substring(1) : part));
        return b.toString();
    }

    private static String utf8(String name, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ManifestException(name + " is not UTF-8 text", null);
        }
    }

    private static String yamlProblem(YAMLException e) {
        if (e instanceof MarkedYAMLException m) {
            Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
            String what = m.getContext() == null
                    ? m.getProblem()
                    : m.getProblem() == null ? m.getContext() : m.getContext() + ", " + m.getProblem();
            return oneLine(what) + (mark == null ? "" : " (line " + (mark.getLine() + 1) + ")");
        }
        return oneLine(e.getMessage());
    }

    private static String oneLine(String s) {
        return s == null ? "malformed" : s.replaceAll("\\s+", " ").strip();
    }

    /** Checks the tree's fields against the type, then maps it; a wrong type names the field and the value. */
    private static <T> T bind(String name, JsonNode tree, Class<T> type, String prefix, Map<String, Integer> lines) {
        if (!tree.isObject()) {
            throw new ManifestException(name + ": expected a mapping of fields, got " + describe(tree), null);
        }
        String unknown = firstUnknownField(tree, MAPPER.constructType(type), prefix);
        if (unknown != null) {
            throw new ManifestException(name + at(lines, unknown) + ": unknown field \"" + unknown + "\"", null);
        }
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonMappingException e) {
            String path = path(prefix, e.getPath());
            JsonNode value = valueAt(tree, e.getPath());
            JavaType target = e instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mi
                            && mi.getTargetType() != null
                    ? MAPPER.constructType(mi.getTargetType())
                    : null;
            String expected = target == null ? null : expected(target);
            String got = value == null
                    ? (e instanceof InvalidFormatException f ? String.valueOf(f.getValue()) : null)
                    : describe(value);
            String why = expected != null
                    ? "expected " + expected + (got == null ? "" : ", got " + got)
                    : oneLine(e.getOriginalMessage());
            throw new ManifestException(
                    name + at(lines, path) + ": " + (path.isEmpty() ? "" : path + ": ") + why, null);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new ManifestException(name + ": " + oneLine(m), null);
        }
    }

    private static String at(Map<String, Integer> lines, String path) {
        Integer line = lines.get(path);
        return line == null ? "" : " line " + line;
    }

    /** The first field of {@code node} (depth first, in document order) that {@code type} has no property for. */
    static String firstUnknownField(JsonNode node, JavaType type, String path) {
        if (node.isArray() && (type.isCollectionLikeType() || type.isArrayType())) {
            for (int i = 0; i < node.size(); i++) {
                String u = firstUnknownField(node.get(i), type.getContentType(), path + "[" + i + "]");
                if (u != null) {
                    return u;
                }
            }
            return null;
        }
        if (!node.isObject()) {
            return null; // scalars, and shape mismatches that binding reports
        }
        if (type.isMapLikeType()) {
            for (Map.Entry<String, JsonNode> f : node.properties()) {
                String u = firstUnknownField(f.getValue(), type.getContentType(), join(path, f.getKey()));
                if (u != null) {
                    return u;
                }
            }
            return null;
        }
        Class<?> raw = type.getRawClass();
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw) || raw.isPrimitive() || raw.isEnum()) {
            return null;
        }
        BeanDescription bean = MAPPER.getDeserializationConfig().introspect(type);
        Map<String, JavaType> properties = new HashMap<>();
        for (BeanPropertyDefinition p : bean.findProperties()) {
            if (p.couldDeserialize()) {
                properties.put(p.getName(), p.getPrimaryType());
            }
        }
        if (properties.isEmpty()) {
            return null; // a value type with a deserializer of its own (e.g. a quantity)
        }
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            JavaType t = properties.get(f.getKey());
            String child = join(path, f.getKey());
            if (t == null) {
                return child; // an any-setter (fabric8's additionalProperties) would swallow it: refuse instead
            }
            String u = firstUnknownField(f.getValue(), t, child);
            if (u != null) {
                return u;
            }
        }
        return null;
    }

    private static String join(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static String path(String prefix, List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder(prefix);
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static JsonNode valueAt(JsonNode root, List<JsonMappingException.Reference> refs) {
        JsonNode n = root;
        for (JsonMappingException.Reference r : refs) {
            if (n == null) {
                return null;
            }
            n = r.getFieldName() != null ? n.get(r.getFieldName()) : r.getIndex() >= 0 ? n.get(r.getIndex()) : n;
        }
        return n;
    }

    /** What a type takes, in the words of a manifest's reader. */
    static String expected(JavaType t) {
        Class<?> c = t.getRawClass();
        if (c == Integer.class
                || c == int.class
                || c == Long.class
                || c == long.class
                || c == Short.class
                || c == BigInteger.class) {
            return "an integer";
        }
        if (c == Double.class || c == double.class || c == Float.class || c == float.class) {
            return "a number";
        }
        if (c == Boolean.class || c == boolean.class) {
            return "true or false";
        }
        if (c == String.class) {
            return "a string";
        }
        if (c.isEnum()) {
            return "one of "
                    + Arrays.stream(c.getEnumConstants())
                            .map(v -> {
                                try {
                                    return MAPPER.writeValueAsString(v).replace("\"", "");
                                } catch (JsonProcessingException e) {
                                    return v.toString();
                                }
                            })
                            .collect(Collectors.joining(", "));
        }
        if (t.isCollectionLikeType() || t.isArrayType()) {
            return "a list";
        }
        if (t.isMapLikeType() || !c.getName().startsWith("java.")) {
            return "a mapping";
        }
        return null;
    }

    /** A value as a message shows it: scalars quoted and cut short, collections by kind. */
    static String describe(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isNull()) {
            return "null";
        }
        String s = v.isTextual() ? v.asText() : v.toString();
        s = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return v.isTextual() ? "\"" + oneLine(s) + "\"" : s;
    }

    /**
     * The parser's events, counted: composing stops after {@link #MAX_NODES} of them, so that what a document
     * costs to parse is bounded before aliases are expanded (SnakeYAML limits only aliases to collections).
     */
    private static final class EventCap implements Parser {
        private final String name;
        private final Parser parser;
        private int events;

        EventCap(String name, Parser parser) {
            this.name = name;
            this.parser = parser;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return parser.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public Event getEvent() {
            if (++events > MAX_NODES) {
                throw new ManifestException(
                        name + " holds more than " + MAX_NODES + " values; a manifest needs far fewer", null);
            }
            return parser.getEvent();
        }
    }

    /**
     * SnakeYAML's node graph as a Jackson tree, with YAML 1.2 core scalars (only true/false are booleans; numbers
     * are decimal, hex or octal), every alias expanded under the node cap, and the line of each key recorded.
     */
    private static final class Converter {
        private final String name;
        private final Map<String, Integer> lines = new HashMap<>();
        private int nodes;

        Converter(String name) {
            this.name = name;
        }

        JsonNode convert(Node n, String path, int depth) {
            if (++nodes > MAX_NODES) {
                throw new ManifestException(
                        name + " holds more than " + MAX_NODES
                                + " values once its aliases are expanded; a manifest needs far fewer",
                        null);
            }
            if (depth > MAX_DEPTH) {
                throw new ManifestException(
                        name + " is nested too deeply (at most " + MAX_DEPTH + " levels) at " + show(path), null);
            }
            if (n instanceof ScalarNode s) {
                return scalar(s);
            }
            if (n instanceof SequenceNode seq) {
                ArrayNode a = JsonNodeFactory.instance.arrayNode();
                List<Node> items = seq.getValue();
                for (int i = 0; i < items.size(); i++) {
                    a.add(convert(items.get(i), path + "[" + i + "]", depth + 1));
                }
                return a;
            }
            MappingNode m = (MappingNode) n;
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            for (NodeTuple t : m.getValue()) {
                int line = t.getKeyNode().getStartMark() == null
                        ? 0
                        : t.getKeyNode().getStartMark().getLine() + 1;
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    throw new ManifestException(
                            name + " line " + line + ": a key under " + show(path)
                                    + " is a mapping or list; keys are field names",
                            null);
                }
                if (k.getTag().equals(Tag.MERGE)) {
                    throw new ManifestException(
                            name + " line " + line + ": merge keys (<<) are not accepted in a manifest", null);
                }
                String key = k.getValue();
                String child = join(path, key);
                if (o.has(key)) {
                    throw new ManifestException(name + " line " + line + ": duplicate field \"" + child + "\"", null);
                }
                lines.putIfAbsent(child, line);
                o.set(key, convert(t.getValueNode(), child, depth + 1));
            }
            return o;
        }

        private static String show(String path) {
            return path.isEmpty() ? "the top level" : "\"" + path + "\"";
        }

        private static JsonNode scalar(ScalarNode s) {
            String v = s.getValue();
            JsonNodeFactory f = JsonNodeFactory.instance;
            if (s.getScalarStyle() != DumperOptions.ScalarStyle.PLAIN) {
                return f.textNode(v); // quoted: always a string
            }
            Tag tag = s.getTag();
            if (tag.equals(Tag.NULL)) {
                return f.nullNode();
            }
            if (tag.equals(Tag.BOOL)) {
                String b = v.toLowerCase(Locale.ROOT);
                return b.equals("true")
                        ? f.booleanNode(true)
                        : b.equals("false") ? f.booleanNode(false) : f.textNode(v);
            }
            if (tag.equals(Tag.INT)) {
                BigInteger i = integer(v);
                if (i == null) {
                    return f.textNode(v);
                }
                return i.bitLength() < 32
                        ? f.numberNode(i.intValue())
                        : i.bitLength() < 64 ? f.numberNode(i.longValue()) : f.numberNode(i);
            }
            if (tag.equals(Tag.FLOAT)) {
                String d = v.toLowerCase(Locale.ROOT);
                switch (d) {
                    case ".inf", "+.inf" -> {
                        return f.numberNode(Double.POSITIVE_INFINITY);
                    }
                    case "-.inf" -> {
                        return f.numberNode(Double.NEGATIVE_INFINITY);
                    }
                    case ".nan" -> {
                        return f.numberNode(Double.NaN);
                    }
                    default -> {
                        if (d.matches("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([e][-+]?[0-9]+)?")) {
                            return f.numberNode(Double.parseDouble(d));
                        }
                        return f.textNode(v);
                    }
                }
            }
            return f.textNode(v);
        }

        private static BigInteger integer(String v) {
            String s = v;
            boolean negative = s.startsWith("-");
            if (s.startsWith("-") || s.startsWith("+")) {
                s = s.substring(1);
            }
            if (s.length() > 40) {
                return null;
            }
            BigInteger i;
            if (s.matches("[0-9]+")) {
                i = new BigInteger(s);
            } else if (s.matches("0x[0-9a-fA-F]+")) {
                i = new BigInteger(s.substring(2), 16);
            } else if (s.matches("0o[0-7]+")) {
                i = new BigInteger(s.substring(2), 8);
            } else {
                return null;
            }
            return negative ? i.negate() : i;
        }
    }
}
