package com.voicecrm.contacts.domain;

/**
 * What an API key may reach: every workspace of {@code accountId}, or only {@code workspaceId} when
 * it is not null. {@code keyId} is a non-secret identifier of the key, safe to log.
 */
public record ApiKeyScope(String accountId, String workspaceId, String keyId) {

  public boolean isWorkspaceKey() {
    return workspaceId != null;
  }

  /** Whether a contact or workspace of this account and workspace is within reach of the key. */
  public boolean reaches(String ownerAccountId, String ownerWorkspaceId) {
    if (isWorkspaceKey()) {
      return workspaceId.equals(ownerWorkspaceId);
    }
    return accountId.equals(ownerAccountId);
  }
}
