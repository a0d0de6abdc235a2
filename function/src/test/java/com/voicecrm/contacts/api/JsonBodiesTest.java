package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodiesTest {

  private static Map<String, Object> read(String json) throws JsonBodies.MalformedBody {
    return JsonBodies.readObject(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsPlainValues_keepingNumbersAsWritten() throws Exception {
    Map<String, Object> body =
        read(
            "{\"a\":\"x\",\"b\":250.50,\"c\":1e5,\"d\":true,\"e\":null,\"f\":[1],\"g\":{\"h\":-0}}");

    assertEquals("x", body.get("a"));
    assertEquals(new NumberText("250.50"), body.get("b"));
    assertEquals(new NumberText("1e5"), body.get("c"));
    assertEquals(Boolean.TRUE, body.get("d"));
    assertTrue(body.containsKey("e"));
    assertNull(body.get("e"));
    assertEquals(List.of(new NumberText("1")), body.get("f"));
    assertEquals(Map.of("h", new NumberText("-0")), body.get("g"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "[]",
        "1",
        "\"s\"",
        "null",
        "{",
        "{\"a\":1,}",
        "{\"a\":1}{}",
        "{\"a\":1} x",
        "{\"a\":1,\"a\":2}",
        "{\"o\":{\"k\":1,\"k\":2}}",
        "{'a':1}",
        "{\"a\":NaN}",
        "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\\udc00x\"}",
        "{\"\\ud800\":1}",
        "{\"a\":01}"
      })
  void rejects(String json) {
    JsonBodies.MalformedBody e = assertThrows(JsonBodies.MalformedBody.class, () -> read(json));
    // SPEC 2: a validation error lists its problems, each naming a field.
    assertEquals(1, e.errors().size(), e.getMessage());
    assertFalse(e.errors().get(0).field().isEmpty());
    assertFalse(e.errors().get(0).message().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "0", "null", "[null, null]", "{\"a\":", "{\"a\":1} x", "\u0001\u00ff"})
  void rejectsABodyThatIsNotOneObject_namingTheBody(String json) {
    JsonBodies.MalformedBody e = assertThrows(JsonBodies.MalformedBody.class, () -> read(json));
    assertEquals(List.of("body"), e.errors().stream().map(FieldError::field).toList());
  }

  @Test
  void duplicatedKey_isNamedByItsPath_inTheApisWords() {
    JsonBodies.MalformedBody top =
        assertThrows(
            JsonBodies.MalformedBody.class,
            () -> read("{\"email\":\"a@example.com\",\"email\":\"b@example.com\"}"));
    JsonBodies.MalformedBody nested =
        assertThrows(
            JsonBodies.MalformedBody.class,
            () -> read("{\"customFields\":{\"Lead Source\":\"a\",\"Lead Source\":null}}"));
    JsonBodies.MalformedBody inArray =
        assertThrows(
            JsonBodies.MalformedBody.class, () -> read("{\"tags\":[\"a\",{\"k\":1,\"k\":2}]}"));

    assertEquals("The request body has a duplicated key", top.getMessage());
    assertEquals(List.of(new FieldError("email", "Appears more than once")), top.errors());
    assertEquals("customFields.Lead Source", nested.errors().get(0).field());
    assertEquals("tags[1].k", inArray.errors().get(0).field());
    assertFalse(top.getMessage().contains("Duplicate field"));
  }

  @Test
  void duplicatedKeyWithNull_isStillADuplicate() {
    assertThrows(
        JsonBodies.MalformedBody.class, () -> read("{\"firstName\":null,\"firstName\":\"x\"}"));
  }

  @Test
  void rejectsDeepNesting() {
    String deep = "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}";
    assertThrows(JsonBodies.MalformedBody.class, () -> read(deep));
  }

  @Test
  void rejectsInvalidUtf8() {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'};
    assertThrows(JsonBodies.MalformedBody.class, () -> JsonBodies.readObject(body));
  }

  @Test
  void acceptsValidSurrogatePairs() throws Exception {
    assertEquals("\uD83D\uDE00", read("{\"a\":\"\\ud83d\\ude00\"}").get("a"));
  }
}
