package com.voicecrm.contacts.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * One log record as the JSON object Lambda's JSON log format expects ({@code timestamp}, {@code
 * level}, {@code message}), with the logger, the stack trace and each MDC entry as fields (those of
 * {@link LogFields#NUMBERS} as numbers).
 */
final class JsonRecord {

  private static final JsonFactory JSON = new JsonFactory();

  private JsonRecord() {}

  static byte[] of(
      String level, String logger, String message, String stackTrace, Map<String, String> mdc) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("timestamp", Instant.now().toString());
      g.writeStringField("level", level);
      g.writeStringField("logger", logger);
      g.writeStringField("message", message);
      if (stackTrace != null) {
        g.writeStringField("stackTrace", stackTrace);
      }
      if (mdc != null) {
        for (Map.Entry<String, String> field : new java.util.TreeMap<>(mdc).entrySet()) {
          Long number =
              LogFields.NUMBERS.contains(field.getKey()) ? number(field.getValue()) : null;
          if (number != null) {
            g.writeNumberField(field.getKey(), number);
          } else {
            g.writeStringField(field.getKey(), field.getValue());
          }
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static Long number(String value) {
    try {
      return Long.valueOf(value);
    } catch (NumberFormatException e) {
      return null; // kept as the text it is
    }
  }
}
