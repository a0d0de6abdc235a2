package com.voicecrm.contacts.domain;

import java.util.Collection;
import java.util.List;

/**
 * A request addressed to a workspace (SPEC 2): the {@code workspaceId} it named (normalised, or
 * null when absent or not a UUID) and the field errors found while parsing it. Custom field names
 * can only be judged once the workspace is known.
 */
public interface WorkspaceRequest {

  String workspaceId();

  List<FieldError> errors();

  /** The custom field display names the request uses. */
  default Collection<String> customFieldNames() {
    return List.of();
  }
}
