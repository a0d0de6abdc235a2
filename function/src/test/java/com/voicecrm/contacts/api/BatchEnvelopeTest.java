package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.voicecrm.contacts.domain.BatchUpsertService;
import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.NumberText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The envelope's own rules (SPEC 10): what fails the whole batch before any item is looked at. */
class BatchEnvelopeTest {

  private static BatchUpsertService.Envelope read(String json) throws Exception {
    return BatchEnvelope.read(JsonBodies.readObject(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aWellFormedEnvelope_hasNoProblems_andKeepsEveryItemAsSent() throws Exception {
    BatchUpsertService.Envelope envelope =
        read("{\"workspaceId\":\"W\",\"items\":[{\"phone\":\"+1\"},7,null,[1]]}");
    assertEquals(List.of(), envelope.errors());
    assertEquals("W", envelope.workspaceId());
    assertEquals(4, envelope.items().size());
    assertEquals(Map.of("phone", "+1"), envelope.items().get(0));
    assertEquals(null, envelope.items().get(2));
  }

  @Test
  void unknownTopLevelFields_areEachNamed_withTheItemsProblem() throws Exception {
    BatchUpsertService.Envelope envelope = read("{\"colour\":1,\"phone\":\"+1\"}");
    assertEquals(
        List.of(
            new FieldError("colour", "Unknown field"),
            new FieldError("phone", "Unknown field"),
            new FieldError("items", BatchEnvelope.ITEMS_REQUIRED)),
        envelope.errors());
  }

  @Test
  void items_mustBeAnArray_ofOneToOneHundred() throws Exception {
    assertEquals(
        List.of(new FieldError("items", BatchEnvelope.ITEMS_REQUIRED)),
        read("{\"items\":null}").errors());
    assertEquals(
        List.of(new FieldError("items", BatchEnvelope.ITEMS_NOT_ARRAY)),
        read("{\"items\":{\"phone\":\"+1\"}}").errors());
    assertEquals(
        List.of(new FieldError("items", BatchEnvelope.ITEMS_EMPTY)),
        read("{\"items\":[]}").errors());
    assertEquals(List.of(), read(itemsJson(100)).errors());
    BatchUpsertService.Envelope tooMany = read(itemsJson(101));
    assertEquals(List.of(new FieldError("items", BatchEnvelope.ITEMS_TOO_MANY)), tooMany.errors());
    assertEquals(List.of(), tooMany.items());
  }

  @Test
  void workspaceId_isPassedOnRaw_forTheDomainsScopeRules() throws Exception {
    assertEquals(new NumberText("42"), read("{\"workspaceId\":42,\"items\":[{}]}").workspaceId());
    assertEquals(null, read("{\"workspaceId\":null,\"items\":[{}]}").workspaceId());
  }

  private static String itemsJson(int count) {
    List<String> items = new ArrayList<>(Arrays.asList(new String[count]));
    items.replaceAll(unused -> "{\"phone\":\"+14155550000\"}");
    return "{\"items\":[" + String.join(",", items) + "]}";
  }
}
