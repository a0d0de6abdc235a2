package com.voicecrm.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.voicecrm.contacts.domain.BatchUpsertService;
import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.UpsertRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The envelope's own rules (SPEC 10), and how each item becomes an upsert of its own. */
class BatchEnvelopeTest {

  private static final String WS = "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c";

  private static BatchUpsertService.Envelope read(String json) throws Exception {
    return BatchEnvelope.read(JsonBodies.readObject(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> fields(List<FieldError> errors) {
    return errors.stream().map(FieldError::field).toList();
  }

  @Test
  void aWellFormedEnvelope_hasNoProblems_andEveryItemIsParsedAsAnUpsert() throws Exception {
    BatchUpsertService.Envelope envelope =
        read(
            "{\"workspaceId\":\""
                + WS.toUpperCase()
                + "\",\"items\":[{\"phone\":\"+1 (415) 555-1234\",\"preserveExisting\":true},"
                + "{\"email\":\"x@example.com\",\"workspaceId\":null}]}");
    assertEquals(List.of(), envelope.errors());
    assertEquals(WS, envelope.workspaceId());
    UpsertRequest first = envelope.items().get(0);
    assertEquals(List.of(), first.errors());
    assertEquals("+14155551234", first.fields().phone());
    assertEquals(true, first.preserveExisting());
    // workspaceId null is as if omitted.
    assertEquals(List.of(), envelope.items().get(1).errors());
  }

  @Test
  void anItemThatIsNoObject_orNamesAWorkspace_isAnErrorOfThatItemOnly() throws Exception {
    BatchUpsertService.Envelope envelope =
        read(
            "{\"items\":[7,null,[1],\"x\",{\"workspaceId\":\""
                + WS
                + "\",\"email\":\"bad\",\"colour\":1}]}");
    assertEquals(List.of(), envelope.errors());
    for (int i = 0; i < 4; i++) {
      assertEquals(
          List.of(new FieldError("body", BatchEnvelope.ITEM_NOT_OBJECT)),
          envelope.items().get(i).errors());
    }
    assertEquals(
        List.of("workspaceId", "colour", "email"), fields(envelope.items().get(4).errors()));
    assertEquals(null, envelope.items().get(4).workspaceId());
  }

  @Test
  void unknownTopLevelFields_andABadWorkspaceId_areEachNamed_withTheItemsProblem()
      throws Exception {
    BatchUpsertService.Envelope envelope =
        read("{\"colour\":1,\"phone\":\"+1\",\"workspaceId\":\"nope\"}");
    assertEquals(List.of("colour", "phone", "workspaceId", "items"), fields(envelope.errors()));
    assertEquals(null, envelope.workspaceId());
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
    BatchUpsertService.Envelope hundred = read(itemsJson(100));
    assertEquals(List.of(), hundred.errors());
    assertEquals(100, hundred.items().size());
    BatchUpsertService.Envelope tooMany = read(itemsJson(101));
    assertEquals(List.of(new FieldError("items", BatchEnvelope.ITEMS_TOO_MANY)), tooMany.errors());
    assertEquals(List.of(), tooMany.items());
  }

  private static String itemsJson(int count) {
    List<String> items =
        new ArrayList<>(Collections.nCopies(count, "{\"phone\":\"+14155550000\"}"));
    return "{\"items\":[" + String.join(",", items) + "]}";
  }
}
