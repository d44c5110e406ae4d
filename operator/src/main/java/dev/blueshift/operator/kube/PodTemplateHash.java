package dev.blueshift.operator.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The revision of a Pod template: the first 10 hex characters of the SHA-256 of its canonical JSON
 * (keys sorted), so that equal templates give equal revisions whatever the order of their maps.
 * Pure. Alarms are created per revision.
 */
public final class PodTemplateHash {
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private PodTemplateHash() {}

  public static String of(PodTemplateSpec template) {
    try {
      // Through a tree, so that maps and beans are ordered the same way.
      String json = CANONICAL.writeValueAsString(CANONICAL.convertValue(template, Object.class));
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 10);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise the Pod template", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
