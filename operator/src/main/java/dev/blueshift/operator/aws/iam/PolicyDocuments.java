package dev.blueshift.operator.aws.iam;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Semantic comparison of IAM policy documents, so that a document IAM hands back differently
 * spelled is no change: URL-encoded (as GetRole returns it), keys or array elements in another
 * order, a single string (or a lone statement) where we wrote a one-element list, or the reverse,
 * duplicates. Pure.
 */
public final class PolicyDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyDocuments() {}

    public static boolean equivalent(String a, String b) {
        Optional<JsonNode> left = canonical(a);
        Optional<JsonNode> right = canonical(b);
        return left.isPresent() && right.isPresent() ? left.get().equals(right.get()) : a.equals(b);
    }

    /** The document as IAM means it; empty when it is not JSON even after URL-decoding. */
    public static Optional<JsonNode> canonical(String document) {
        return parse(document)
                .or(() -> parse(URLDecoder.decode(document, StandardCharsets.UTF_8)))
                .map(PolicyDocuments::normalise);
    }

    /** The document as text without IAM's URL-encoding. */
    public static String decoded(String document) {
        return parse(document).isPresent() ? document : URLDecoder.decode(document, StandardCharsets.UTF_8);
    }

    public static String toJson(Object document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a policy document", e);
        }
    }

    private static Optional<JsonNode> parse(String document) {
        if (document == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(document);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /**
     * Objects keep their keys (sorted); every other value becomes a sorted, de-duplicated array of
     * its normalised elements, with scalars as text ("true" and true mean the same to IAM).
     */
    private static JsonNode normalise(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = field.getValue();
                if ("Statement".equals(field.getKey()) && value.isObject()) {
                    value = JsonNodeFactory.instance.arrayNode().add(value); // a lone statement is a list of one
                }
                sorted.put(field.getKey(), normalise(value));
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        List<JsonNode> elements = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(element -> elements.add(element.isObject() ? normalise(element) : normaliseScalar(element)));
        } else {
            elements.add(normaliseScalar(node));
        }
        Map<String, JsonNode> unique = new TreeMap<>();
        for (JsonNode element : elements) {
            unique.put(element.toString(), element);
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        unique.values().forEach(out::add);
        return out;
    }

    private static JsonNode normaliseScalar(JsonNode node) {
        if (node.isArray()) {
            return normalise(node);
        }
        return JsonNodeFactory.instance.textNode(node.isNull() ? "" : node.asText());
    }
}
