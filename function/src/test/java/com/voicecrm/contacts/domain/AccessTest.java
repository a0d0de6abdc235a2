package com.voicecrm.contacts.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SPEC 2: which workspace a request targets and what a key may reach. */
class AccessTest {

  private static final String WS = "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c";
  private static final String OTHER = "0b8e4d52-7a31-4f6e-8c2d-9e5f1a3b7c40";
  private static final ApiKeyScope ACCOUNT_KEY = new ApiKeyScope("acc", null, "k1");
  private static final ApiKeyScope WORKSPACE_KEY = new ApiKeyScope("acc", WS, "k2");

  private static WorkspaceRequest naming(String workspaceId, FieldError... errors) {
    return new UpsertRequest(workspaceId, ContactFields.NONE, false, List.of(errors));
  }

  @Test
  void accountKey_withoutWorkspaceId_getsTheSpecSentence_first() {
    List<FieldError> errors = new ArrayList<>(List.of(new FieldError("email", "bad")));

    assertNull(Access.targetWorkspace(ACCOUNT_KEY, naming(null), errors));
    assertEquals(
        List.of(
            new FieldError("workspaceId", "workspaceId is required for account-scoped API keys"),
            new FieldError("email", "bad")),
        errors);
  }

  @Test
  void accountKey_withAWorkspaceIdThatIsNoUuid_getsOnlyThatError() {
    FieldError notUuid = new FieldError("workspaceId", "workspaceId must be a UUID");
    List<FieldError> errors = new ArrayList<>(List.of(notUuid));

    assertNull(Access.targetWorkspace(ACCOUNT_KEY, naming(null, notUuid), errors));
    assertEquals(List.of(notUuid), errors);
  }

  @Test
  void workspaceKey_targetsItsOwn_andNamingAnotherIsForbidden() {
    assertEquals(WS, Access.targetWorkspace(WORKSPACE_KEY, naming(null), new ArrayList<>()));
    assertEquals(WS, Access.targetWorkspace(WORKSPACE_KEY, naming(WS), new ArrayList<>()));
    assertThrows(
        DomainException.Forbidden.class,
        () -> Access.targetWorkspace(WORKSPACE_KEY, naming(OTHER), new ArrayList<>()));
  }

  @Test
  void aWorkspaceOutOfReach_isNotFound_likeOneThatDoesNotExist() {
    Workspace theirs = new Workspace(OTHER, "other", "Theirs", null, List.of());

    DomainException.NotFound absent =
        assertThrows(
            DomainException.NotFound.class,
            () -> Access.reachableWorkspace(Optional.empty(), ACCOUNT_KEY));
    DomainException.NotFound foreign =
        assertThrows(
            DomainException.NotFound.class,
            () -> Access.reachableWorkspace(Optional.of(theirs), ACCOUNT_KEY));
    assertEquals(absent.getMessage(), foreign.getMessage());
  }

  @Test
  void contactIds_areUuids_storedInLowerCase() {
    assertEquals(Optional.of(WS), Access.contactId(WS.toUpperCase()));
    assertEquals(Optional.empty(), Access.contactId("not-a-uuid"));
    assertEquals(Optional.empty(), Access.contactId(null));
  }
}
