package com.voicecrm.contacts.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an API key may reach (SPEC 2): which workspace a request targets, and which workspaces and
 * contacts the key may see. A contact or workspace out of reach is "not found", never "forbidden",
 * so nothing reveals that it exists elsewhere.
 */
public final class Access {

  static final String WORKSPACE_REQUIRED = "workspaceId is required for account-scoped API keys";
  static final String WORKSPACE_NOT_FOUND = "Workspace not found";
  static final String CONTACT_NOT_FOUND = "Contact not found";

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Access() {}

  /**
   * The workspace {@code request} targets: a workspace key's own (403 when the request names
   * another), else the one named. An account key naming none adds the "required" error first,
   * unless the request named one that was not a UUID (already an error of its own).
   *
   * @return null when the request names no usable workspace (then {@code errors} says why)
   */
  public static String targetWorkspace(
      ApiKeyScope scope, WorkspaceRequest request, List<FieldError> errors) {
    String requested = request.workspaceId();
    if (scope.isWorkspaceKey()) {
      if (requested != null && !requested.equals(scope.workspaceId())) {
        throw new DomainException.Forbidden("This API key may not access workspace " + requested);
      }
      return scope.workspaceId();
    }
    boolean named = errors.stream().anyMatch(e -> e.field().equals("workspaceId"));
    if (requested == null && !named) {
      errors.add(0, new FieldError("workspaceId", WORKSPACE_REQUIRED));
    }
    return requested;
  }

  /** The workspace when the key reaches it, else 404. */
  public static Workspace reachableWorkspace(Optional<Workspace> workspace, ApiKeyScope scope) {
    return workspace
        .filter(w -> scope.reaches(w.accountId(), w.id()))
        .orElseThrow(() -> new DomainException.NotFound(WORKSPACE_NOT_FOUND));
  }

  /** Whether the key may see {@code contact}: active, and in a workspace it reaches. */
  public static boolean canSee(ApiKeyScope scope, Contact contact) {
    return !contact.isDeleted() && scope.reaches(contact.accountId(), contact.workspaceId());
  }

  /** The stored id of a contact id from a path, or empty when it cannot name a contact (404). */
  public static Optional<String> contactId(String pathId) {
    return isUuid(pathId) ? Optional.of(pathId.toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  /** Custom field names that the workspace does not define (exact match), each an error. */
  public static List<FieldError> unknownCustomFields(
      Collection<String> names, Workspace workspace) {
    List<FieldError> errors = new ArrayList<>();
    for (String name : names) {
      if (workspace.fieldNamed(name).isEmpty()) {
        errors.add(
            new FieldError(
                "customFields." + name, "No custom field with this name in the workspace"));
      }
    }
    return errors;
  }

  /** Whether {@code value} is a UUID in its canonical 8-4-4-4-12 form. */
  public static boolean isUuid(String value) {
    return value != null && UUID.matcher(value).matches();
  }
}
