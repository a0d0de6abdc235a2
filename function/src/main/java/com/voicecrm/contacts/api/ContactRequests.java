package com.voicecrm.contacts.api;

import com.voicecrm.contacts.domain.ContactFields;
import com.voicecrm.contacts.domain.CreateRequest;
import com.voicecrm.contacts.domain.PatchRequest;
import com.voicecrm.contacts.domain.UpsertRequest;
import com.voicecrm.contacts.domain.VersionPrecondition;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each route's JSON body as the domain's typed request: its values, and every field error found
 * while parsing (JSON types, unknown fields, lengths, formats). The domain never sees JSON.
 */
final class ContactRequests {

  static final String PRESERVE_EXISTING_ON_CREATE =
      "Unknown field: a create has nothing to preserve; use POST /v1/contacts/upsert";

  private static final Set<String> CONTACT_FIELDS =
      Set.of("firstName", "lastName", "email", "phone", "timezone", "tags", "customFields");
  private static final Set<String> UPSERT_FIELDS =
      union(CONTACT_FIELDS, "workspaceId", "preserveExisting");
  private static final Set<String> CREATE_FIELDS = union(CONTACT_FIELDS, "workspaceId");
  private static final Set<String> PATCH_FIELDS =
      union(CONTACT_FIELDS, "preserveExisting", "removeTags");

  static final String WORKSPACE_ON_PATCH =
      "The contact's workspace is fixed: a patch cannot name workspaceId";
  static final String TAG_ADDED_AND_REMOVED =
      "is also in tags: a patch cannot add and remove a tag";

  private ContactRequests() {}

  /** {@code POST /v1/contacts/upsert} (SPEC 3.1). */
  static UpsertRequest upsert(Map<String, Object> body) {
    FieldParser parser = new FieldParser(body);
    parser.rejectFields(UPSERT_FIELDS, Map.of());
    String workspaceId = parser.workspaceId();
    boolean[] preserveExisting = {false};
    ContactFields fields =
        parser.contactFields(() -> preserveExisting[0] = parser.flag("preserveExisting"));
    requirePhoneOrEmail(parser);
    return new UpsertRequest(workspaceId, fields, preserveExisting[0], parser.errors());
  }

  /**
   * {@code POST /v1/contacts} (SPEC 7): the upsert fields except {@code preserveExisting}, which
   * has nothing to preserve on a create and is rejected whatever its value, like any unknown field.
   */
  static CreateRequest create(Map<String, Object> body) {
    FieldParser parser = new FieldParser(body);
    parser.rejectFields(CREATE_FIELDS, Map.of("preserveExisting", PRESERVE_EXISTING_ON_CREATE));
    String workspaceId = parser.workspaceId();
    ContactFields fields = parser.contactFields();
    requirePhoneOrEmail(parser);
    return new CreateRequest(workspaceId, fields, parser.errors());
  }

  /**
   * {@code PATCH /v1/contacts/{id}} (SPEC 8): JSON Merge Patch of the upsert's fields, where null
   * clears a name, email, phone or timezone, and is absent for tags, removeTags, customFields and
   * preserveExisting; {@code workspaceId} is refused; a tag in both lists is an error.
   *
   * @param ifMatch the request's {@code If-Match} header, or null
   */
  static PatchRequest patch(Map<String, Object> body, String ifMatch) {
    FieldParser parser = new FieldParser(body, true);
    parser.rejectFields(PATCH_FIELDS, Map.of("workspaceId", WORKSPACE_ON_PATCH));
    boolean[] preserveExisting = {false};
    ContactFields fields =
        parser.contactFields(() -> preserveExisting[0] = parser.flag("preserveExisting"));
    List<String> removeTags = parser.tags("removeTags");
    for (int i = 0; i < removeTags.size(); i++) {
      if (fields.tags().contains(removeTags.get(i))) {
        parser.error("removeTags", "\"" + removeTags.get(i) + "\" " + TAG_ADDED_AND_REMOVED);
      }
    }
    return new PatchRequest(
        fields,
        removeTags,
        preserveExisting[0],
        VersionPrecondition.ofIfMatch(ifMatch),
        parser.errors());
  }

  // Sent at all counts, even with a bad value: that value has its own error.
  private static void requirePhoneOrEmail(FieldParser parser) {
    if (!parser.has("phone") && !parser.has("email")) {
      parser.error("phone", "At least one of phone or email is required");
    }
  }

  private static Set<String> union(Set<String> fields, String... more) {
    java.util.Set<String> all = new java.util.HashSet<>(fields);
    all.addAll(Set.of(more));
    return Set.copyOf(all);
  }
}
