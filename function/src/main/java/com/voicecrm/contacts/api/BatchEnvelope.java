package com.voicecrm.contacts.api;

import com.voicecrm.contacts.domain.BatchUpsertService;
import com.voicecrm.contacts.domain.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of a batch's body (SPEC 10): {@code {"workspaceId", "items": [ ... ]}}. Every problem
 * of the shape is collected (unknown fields, {@code items} missing, not an array, empty, too long);
 * the items themselves are left as JSON values for the domain, which judges each on its own.
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

  private BatchEnvelope() {}

  /** The envelope of {@code body}, a JSON object read by {@link JsonBodies}. */
  static BatchUpsertService.Envelope read(Map<String, Object> body) {
    List<FieldError> errors = new ArrayList<>();
    for (String field : body.keySet()) {
      if (!FIELDS.contains(field)) {
        errors.add(new FieldError(field, "Unknown field"));
      }
    }
    Object items = body.get(ITEMS);
    List<Object> list = List.of();
    if (items == null) {
      // JSON null is as if omitted (SPEC 3.1's rule, kept for the envelope).
      errors.add(new FieldError(ITEMS, ITEMS_REQUIRED));
    } else if (!(items instanceof List<?> array)) {
      errors.add(new FieldError(ITEMS, ITEMS_NOT_ARRAY));
    } else if (array.isEmpty()) {
      errors.add(new FieldError(ITEMS, ITEMS_EMPTY));
    } else if (array.size() > BatchUpsertService.MAX_ITEMS) {
      errors.add(new FieldError(ITEMS, ITEMS_TOO_MANY));
    } else {
      list = new ArrayList<>(array);
    }
    return new BatchUpsertService.Envelope(body.get(WORKSPACE_ID), list, errors);
  }
}
