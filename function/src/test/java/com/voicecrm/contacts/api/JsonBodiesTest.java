package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.voicecrm.contacts.domain.NumberText;
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
    assertThrows(JsonBodies.MalformedBody.class, () -> read(json));
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
