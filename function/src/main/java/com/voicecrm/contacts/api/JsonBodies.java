package com.voicecrm.contacts.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.voicecrm.contacts.domain.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON reading into plain Java values (String, Boolean, {@link NumberText}, List, Map,
 * null): duplicate keys, trailing content, deep nesting and broken Unicode are all rejected. The
 * streaming parser keeps each number's exact text and loads far fewer classes than data binding.
 * Duplicate keys are found here rather than by Jackson's STRICT_DUPLICATE_DETECTION, so the answer
 * names the key's path in the API's words instead of quoting the library's message.
 */
public final class JsonBodies {

  static final int MAX_DEPTH = 32;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxNumberLength(1_000)
                  .build())
          .build();

  /** The field named by problems of the body as a whole (SPEC 2: every problem has a field). */
  public static final String BODY_FIELD = "body";

  /**
   * The body was not one well-formed JSON object. The message (the problem's detail) and the errors
   * (each naming {@link #BODY_FIELD} or the duplicated key) are safe to show the client.
   */
  public static final class MalformedBody extends Exception {
    private final transient List<FieldError> errors;

    MalformedBody(String detail, String field, String message) {
      super(detail, null, false, false);
      this.errors = List.of(new FieldError(field, message));
    }

    /** A problem of the body as a whole. */
    MalformedBody(String detail, String message) {
      this(detail, BODY_FIELD, message);
    }

    public List<FieldError> errors() {
      return errors;
    }
  }

  private JsonBodies() {}

  static JsonFactory factory() {
    return FACTORY;
  }

  public static Map<String, Object> readObject(byte[] body) throws MalformedBody {
    try (JsonParser parser = FACTORY.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedBody("The request body must be a JSON object", "Must be a JSON object");
      }
      Map<String, Object> object = readObjectFields(parser, "");
      if (parser.nextToken() != null) {
        throw new MalformedBody(
            "The request body has content after the JSON object",
            "Has content after the JSON object");
      }
      return object;
    } catch (StreamConstraintsException e) {
      throw new MalformedBody(
          "The request body is nested too deeply or has too long a number",
          "Nested deeper than " + MAX_DEPTH + " levels or has too long a number");
    } catch (com.fasterxml.jackson.core.exc.StreamReadException e) {
      String where =
          e.getLocation() == null
              ? "?"
              : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw new MalformedBody(
          "The request body is not valid JSON (" + where + ")", "Not valid JSON at " + where);
    } catch (IOException e) {
      throw new MalformedBody("The request body is not valid JSON", "Not valid JSON");
    }
  }

  /** {@code path} names the object in error messages: "" for the body, else "customFields". */
  private static Map<String, Object> readObjectFields(JsonParser parser, String path)
      throws IOException, MalformedBody {
    Map<String, Object> object = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = checkedText(parser.currentName());
      String field = path.isEmpty() ? name : path + "." + name;
      if (object.containsKey(name)) {
        throw new MalformedBody(
            "The request body has a duplicated key", field, "Appears more than once");
      }
      parser.nextToken();
      object.put(name, readValue(parser, field));
    }
    return object;
  }

  private static Object readValue(JsonParser parser, String path)
      throws IOException, MalformedBody {
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        return readObjectFields(parser, path);
      case START_ARRAY:
        List<Object> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(parser, path + "[" + items.size() + "]"));
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
        throw new MalformedBody("The request body is not valid JSON", "Not valid JSON");
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
        throw new MalformedBody(
            "The request body has an invalid Unicode escape",
            "Has a \\u escape that is half a surrogate pair");
      }
    }
    return text;
  }
}
