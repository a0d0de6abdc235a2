package com.voicecrm.contacts.domain;

import java.util.List;

/**
 * A parsed patch (SPEC 8): JSON Merge Patch of the top-level fields. In {@code fields} a field is
 * null when absent and {@code ""} when the patch clears it (sent as JSON null, or {@code ""} for a
 * name). {@code removeTags} are taken off the contact; {@code precondition} is its {@code If-Match}
 * (null: none). {@code errors} are every problem found while parsing.
 */
public record PatchRequest(
    ContactFields fields,
    List<String> removeTags,
    boolean preserveExisting,
    VersionPrecondition precondition,
    List<FieldError> errors) {

  public PatchRequest {
    removeTags = List.copyOf(removeTags);
    errors = List.copyOf(errors);
  }

  /** A request without parse errors. */
  public static PatchRequest of(
      ContactFields fields,
      List<String> removeTags,
      boolean preserveExisting,
      VersionPrecondition precondition) {
    return new PatchRequest(fields, removeTags, preserveExisting, precondition, List.of());
  }
}
