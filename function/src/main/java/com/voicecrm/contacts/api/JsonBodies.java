package com.voicecrm.contacts.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.voicecrm.contacts.domain.NumberText;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON reading into plain Java values (String, Boolean, {@link NumberText}, List, Map,
 * null): duplicate keys, trailing content, deep nesting and broken Unicode are all rejected. The
 * streaming parser keeps each number's exact text and loads far fewer classes than data binding.
 */
public final class JsonBodies {

  static final int MAX_DEPTH = 32;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxNumberLength(1_000)
                  .build())
          .build();

  /** The body was not one well-formed JSON object; the message is safe to show the client. */
  public static final class MalformedBody extends Exception {
    MalformedBody(String message) {
      super(message, null, false, false);
    }
  }

  private JsonBodies() {}

  static JsonFactory factory() {
    return FACTORY;
  }

  public static Map<String, Object> readObject(byte[] body) throws MalformedBody {
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedBody("The request body must be a JSON object");
      }
      Map<String, Object> object = readObjectFields(parser);
      if (parser.nextToken() != null) {
        throw new MalformedBody("The request body has content after the JSON object");
      }
      return object;
    } catch (StreamConstraintsException e) {
      throw new MalformedBody("The request body is nested too deeply or has too long a number");
    } catch (com.fasterxml.jackson.core.exc.StreamReadException e) {
      throw new MalformedBody(describe(e));
    } catch (IOException e) {
      throw new MalformedBody("The request body is not valid JSON");
    }
  }

  private static String describe(com.fasterxml.jackson.core.exc.StreamReadException e) {
    String message = e.getOriginalMessage();
    if (message != null && message.startsWith("Duplicate field")) {
      return "The request body is not valid JSON: " + message.split("\n")[0];
    }
    return "The request body is not valid JSON (line "
        + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
        + ", column "
        + (e.getLocation() == null ? "?" : e.getLocation().getColumnNr())
        + ")";
  }

  private static Map<String, Object> readObjectFields(JsonParser parser)
      throws IOException, MalformedBody {
    Map<String, Object> object = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = checkedText(parser.currentName());
      parser.nextToken();
      object.put(name, readValue(parser));
    }
    return object;
  }

  private static Object readValue(JsonParser parser) throws IOException, MalformedBody {
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        return readObjectFields(parser);
      case START_ARRAY:
        List<Object> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(parser));
        }
        return items;
      case VALUE_STRING:
        return checkedText(parser.getText());
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return new NumberText(parser.getText());
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new MalformedBody("The request body is not valid JSON");
    }
  }

  // JSON escapes can spell half a surrogate pair, which no UTF-8 store can keep.
  private static String checkedText(String text) throws MalformedBody {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new MalformedBody("The request body has an invalid Unicode escape");
      }
    }
    return text;
  }
}
