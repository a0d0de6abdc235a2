package com.voicecrm.contacts.bench.floor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The two fields of a proxy event the floors use, streamed with jackson-core; the response. */
record FloorEvent(String body, String requestId) {

  static final JsonFactory JSON = new JsonFactory();

  static FloorEvent read(InputStream input) throws IOException {
    String body = null;
    String requestId = null;
    try (JsonParser parser = JSON.createParser(input)) {
      parser.nextToken();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        parser.nextToken();
        if (name.equals("body")) {
          body = parser.getText();
        } else if (name.equals("requestContext")) {
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("requestId")) {
              requestId = parser.getText();
            } else {
              parser.skipChildren();
            }
          }
        } else {
          parser.skipChildren();
        }
      }
    }
    return new FloorEvent(body, requestId);
  }

  static void writeCreated(OutputStream output, String requestId, String id) throws IOException {
    try (JsonGenerator out = JSON.createGenerator(output)) {
      FloorHandler.writeResponse(out, requestId, id);
    }
  }
}
