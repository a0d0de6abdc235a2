package com.voicecrm.contacts.domain;

import java.util.Collection;
import java.util.List;

/** A parsed upsert (SPEC 3): what it asks for, and every field error found while parsing it. */
public record UpsertRequest(
    String workspaceId, ContactFields fields, boolean preserveExisting, List<FieldError> errors)
    implements WorkspaceRequest {

  public UpsertRequest {
    errors = List.copyOf(errors);
  }

  /** A request without parse errors. */
  public static UpsertRequest of(String workspaceId, ContactFields fields, boolean preserve) {
    return new UpsertRequest(workspaceId, fields, preserve, List.of());
  }

  @Override
  public Collection<String> customFieldNames() {
    return fields.customFields().keySet();
  }
}
