package com.voicecrm.contacts.local;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A seed file as a tree, read with the streaming parser so the function jar needs no
 * jackson-databind (1.5 MB, and only this loader used it). It answers the few questions {@link
 * SeedLoader} asks the way Jackson's {@code JsonNode} does: a missing field is an empty node.
 */
final class SeedJson implements Iterable<SeedJson> {

  private static final JsonFactory JSON = new JsonFactory();
  private static final Object NULL = new Object();
  private static final SeedJson MISSING = new SeedJson(null);

  /** Map, List, String (numbers keep their text), Boolean, {@link #NULL}; null when missing. */
  private final Object value;

  private SeedJson(Object value) {
    this.value = value;
  }

  static SeedJson read(Path file) throws IOException {
    try (JsonParser parser = JSON.createParser(Files.readAllBytes(file))) {
      parser.nextToken();
      return new SeedJson(value(parser));
    }
  }

  /** The field, or an empty node when there is none. */
  SeedJson path(String field) {
    return value instanceof Map<?, ?> map && map.containsKey(field)
        ? new SeedJson(map.get(field))
        : MISSING;
  }

  /** The field, or null when there is none. */
  SeedJson get(String field) {
    return value instanceof Map<?, ?> map && map.containsKey(field)
        ? new SeedJson(map.get(field))
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
      list.forEach(v -> children.add(new SeedJson(v)));
    } else if (value instanceof Map<?, ?> map) {
      map.values().forEach(v -> children.add(new SeedJson(v)));
    }
    return children.iterator();
  }

  private static Object value(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new IOException("The seed file is empty");
    }
    switch (token) {
      case START_OBJECT:
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          parser.nextToken();
          object.put(name, value(parser));
        }
        return object;
      case START_ARRAY:
        List<Object> array = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(value(parser));
        }
        return array;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return NULL;
      default:
        return parser.getText();
    }
  }
}
