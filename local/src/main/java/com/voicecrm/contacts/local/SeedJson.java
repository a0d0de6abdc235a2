package com.voicecrm.contacts.local;

import com.voicecrm.contacts.api.JsonBodies;
import com.voicecrm.contacts.api.NumberText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A seed file as a tree, read by the API's own strict reader ({@link JsonBodies}) so the function
 * jar needs no jackson-databind (1.5 MB, and only this loader used it). It answers the few
 * questions {@link SeedLoader} asks the way Jackson's {@code JsonNode} does: a missing field is an
 * empty node.
 */
final class SeedJson implements Iterable<SeedJson> {

  private static final Object NULL = new Object();
  private static final SeedJson MISSING = new SeedJson(null);

  /** Map, List, String (numbers keep their text), Boolean, {@link #NULL}; null when missing. */
  private final Object value;

  private SeedJson(Object value) {
    this.value = value;
  }

  static SeedJson read(Path file) throws IOException {
    try {
      return new SeedJson(JsonBodies.readObject(Files.readAllBytes(file)));
    } catch (JsonBodies.MalformedBody e) {
      throw new IOException(file + ": " + e.getMessage());
    }
  }

  /** The field, or an empty node when there is none. */
  SeedJson path(String field) {
    return value instanceof Map<?, ?> map && map.containsKey(field)
        ? new SeedJson(orNull(map.get(field)))
        : MISSING;
  }

  /** The field, or null when there is none. */
  SeedJson get(String field) {
    return value instanceof Map<?, ?> map && map.containsKey(field)
        ? new SeedJson(orNull(map.get(field)))
        : null;
  }

  boolean isNull() {
    return value == NULL;
  }

  /** A scalar's text ("null" for null), "" for a container or a missing node. */
  String asText() {
    if (value == NULL) {
      return "null";
    }
    if (value instanceof NumberText number) {
      return number.text();
    }
    return value instanceof String || value instanceof Boolean ? value.toString() : "";
  }

  /** A scalar's text, or {@code fallback} when missing or null. */
  String asText(String fallback) {
    return value == null || value == NULL ? fallback : asText();
  }

  int size() {
    if (value instanceof Map<?, ?> map) {
      return map.size();
    }
    return value instanceof List<?> list ? list.size() : 0;
  }

  /** The elements of an array or the values of an object; nothing for anything else. */
  @Override
  public Iterator<SeedJson> iterator() {
    List<SeedJson> children = new ArrayList<>();
    if (value instanceof List<?> list) {
      list.forEach(v -> children.add(new SeedJson(orNull(v))));
    } else if (value instanceof Map<?, ?> map) {
      map.values().forEach(v -> children.add(new SeedJson(orNull(v))));
    }
    return children.iterator();
  }

  private static Object orNull(Object value) {
    return value == null ? NULL : value;
  }
}
