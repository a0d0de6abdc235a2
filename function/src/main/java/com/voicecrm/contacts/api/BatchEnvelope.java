package com.voicecrm.contacts.api;

import com.voicecrm.contacts.domain.BatchUpsertService;
import com.voicecrm.contacts.domain.ContactFields;
import com.voicecrm.contacts.domain.FieldError;
import com.voicecrm.contacts.domain.UpsertRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A batch's body (SPEC 10), {@code {"workspaceId", "items": [ ... ]}}, as the domain's typed
 * envelope: every problem of its shape (unknown fields, {@code workspaceId} not a UUID, {@code
 * items} missing, not an array, empty, too long), and each item parsed as an upsert body with the
 * errors of that item alone: an item that is not an object, or that names a workspace, is an error
 * of the item, never of the batch.
 */
final class BatchEnvelope {

  static final String ITEMS = "items";
  static final String WORKSPACE_ID = "workspaceId";
  private static final Set<String> FIELDS = Set.of(WORKSPACE_ID, ITEMS);
  static final String ITEMS_REQUIRED =
      "Required: an array of 1 to " + BatchUpsertService.MAX_ITEMS + " upsert bodies";
  static final String ITEMS_NOT_ARRAY =
      "Must be an array of 1 to " + BatchUpsertService.MAX_ITEMS + " upsert bodies";
  static final String ITEMS_EMPTY = "Must hold at least 1 item";
  static final String ITEMS_TOO_MANY =
      "Must hold at most " + BatchUpsertService.MAX_ITEMS + " items";
  static final String ITEM_NOT_OBJECT = "Each item must be a JSON object (an upsert body)";
  static final String ITEM_WORKSPACE_ID =
      "Not allowed in a batch item: the batch's workspaceId applies to every item";

  private BatchEnvelope() {}

  /** The envelope of {@code body}, a JSON object read by {@link JsonBodies}. */
  static BatchUpsertService.Envelope read(Map<String, Object> body) {
    FieldParser parser = new FieldParser(body);
    parser.rejectFields(FIELDS, Map.of());
    String workspaceId = parser.workspaceId();
    Object items = body.get(ITEMS);
    List<UpsertRequest> requests = new ArrayList<>();
    if (items == null) {
      // JSON null is as if omitted (SPEC 3.1's rule, kept for the envelope).
      parser.error(ITEMS, ITEMS_REQUIRED);
    } else if (!(items instanceof List<?> array)) {
      parser.error(ITEMS, ITEMS_NOT_ARRAY);
    } else if (array.isEmpty()) {
      parser.error(ITEMS, ITEMS_EMPTY);
    } else if (array.size() > BatchUpsertService.MAX_ITEMS) {
      parser.error(ITEMS, ITEMS_TOO_MANY);
    } else {
      for (Object item : array) {
        requests.add(item(item));
      }
    }
    return new BatchUpsertService.Envelope(workspaceId, parser.errors(), requests);
  }

  /** One item as an upsert body without {@code workspaceId}, with its own errors. */
  static UpsertRequest item(Object item) {
    if (!(item instanceof Map<?, ?> map)) {
      return new UpsertRequest(
          null,
          ContactFields.NONE,
          false,
          List.of(new FieldError(JsonBodies.BODY_FIELD, ITEM_NOT_OBJECT)));
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    map.forEach((key, value) -> fields.put((String) key, value));
    List<FieldError> errors = new ArrayList<>();
    // null is as if omitted (SPEC 3.1), so only a value is the item naming a workspace.
    if (fields.remove(WORKSPACE_ID) != null) {
      errors.add(new FieldError(WORKSPACE_ID, ITEM_WORKSPACE_ID));
    }
    UpsertRequest parsed = ContactRequests.upsert(fields);
    errors.addAll(parsed.errors());
    return new UpsertRequest(null, parsed.fields(), parsed.preserveExisting(), errors);
  }
}
