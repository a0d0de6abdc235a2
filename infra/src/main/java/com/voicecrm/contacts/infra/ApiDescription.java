package com.voicecrm.contacts.infra;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.voicecrm.contacts.config.ServiceContract;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's OpenAPI document as a deployed stage serves it: the file {@code make openapi} bundles
 * from {@code openapi/contacts-api.yaml}, read at synth time and turned into the response template
 * of {@code GET /openapi.json} (a MOCK integration, no key), so a stage always serves the document
 * it was deployed with and every route added to the YAML is published without an infra change.
 */
public final class ApiDescription {

  /** The path part under the stage root: the local server's path too. */
  public static final String PATH_PART = ServiceContract.DESCRIPTION_PATH.substring(1);

  /** The bundle {@code make openapi} writes, relative to the repository root. */
  static final Path BUNDLE = Path.of("openapi", "build", "openapi.json");

  /** API Gateway's fixed quota for one mapping template (300 KB). */
  static final int MAX_TEMPLATE_BYTES = 300 * 1024;

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private ApiDescription() {}

  /**
   * The bundle found from the working directory (the repository root, or the infra module as tests
   * and the CDK CLI run). Fails fast: a stack without the document would publish nothing.
   */
  public static Path locate() {
    Path cwd = Path.of("").toAbsolutePath();
    List<Path> candidates = new ArrayList<>(List.of(cwd.resolve(BUNDLE)));
    if (cwd.getParent() != null) {
      candidates.add(cwd.getParent().resolve(BUNDLE));
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate)) {
        return candidate.normalize();
      }
    }
    throw new IllegalStateException(
        "OpenAPI bundle not found at " + candidates + "; build it first: make openapi");
  }

  /**
   * The document as a mapping template that renders to the same JSON: compact, with {@code $},
   * {@code #} and every non-ASCII character written as {@code \}{@code uXXXX} escapes. Mapping
   * templates are Velocity, where {@code $} starts a reference and {@code #} a directive or
   * comment; inside JSON strings (the only place they occur) the escapes mean the same characters,
   * and an ASCII body cannot be re-encoded on the way out.
   */
  public static String responseTemplate(Path document) {
    StringWriter out = new StringWriter();
    try (JsonParser parser = JSON.createParser(document.toFile());
        JsonGenerator generator = JSON.createGenerator(out)) {
      generator.setCharacterEscapes(VelocitySafe.INSTANCE);
      if (parser.nextToken() == null) {
        throw new IllegalArgumentException(document + " is empty");
      }
      int depth = 0;
      do {
        JsonToken token = parser.currentToken();
        if (token.isNumeric()) {
          generator.writeNumber(parser.getText()); // as written: 1.0 stays 1.0, 1e3 stays 1e3
        } else {
          generator.copyCurrentEvent(parser);
        }
        depth += token.isStructStart() ? 1 : token.isStructEnd() ? -1 : 0;
      } while (depth > 0 && parser.nextToken() != null);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException(document + " holds more than one JSON value");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the OpenAPI bundle " + document, e);
    }
    String template = out.toString();
    int bytes = template.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_TEMPLATE_BYTES) {
      throw new IllegalStateException(
          "The OpenAPI document is "
              + bytes
              + " bytes as a mapping template, over API Gateway's quota of 300 KB ("
              + MAX_TEMPLATE_BYTES
              + " bytes): serve it from S3 instead");
    }
    return template;
  }

  /** JSON's standard escapes plus {@code $} and {@code #}, which Velocity would interpret. */
  private static final class VelocitySafe extends CharacterEscapes {
    static final VelocitySafe INSTANCE = new VelocitySafe();
    private final int[] escapes = standardAsciiEscapesForJSON();

    private VelocitySafe() {
      escapes['$'] = ESCAPE_STANDARD;
      escapes['#'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null; // only the standard \\uXXXX form
    }
  }
}
