package com.voicecrm.contacts.domain;

import java.util.Collection;
import java.util.List;

/** A parsed create (SPEC 7): what it asks for, and every field error found while parsing it. */
public record CreateRequest(String workspaceId, ContactFields fields, List<FieldError> errors)
    implements WorkspaceRequest {

  public CreateRequest {
    errors = List.copyOf(errors);
  }

  /** A request without parse errors. */
  public static CreateRequest of(String workspaceId, ContactFields fields) {
    return new CreateRequest(workspaceId, fields, List.of());
  }

  @Override
  public Collection<String> customFieldNames() {
    return fields.customFields().keySet();
  }
}
