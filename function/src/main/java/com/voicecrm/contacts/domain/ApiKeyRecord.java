package com.voicecrm.contacts.domain;

import java.time.Instant;

/**
 * What is stored of an API key: its hash and scope. {@code workspaceId} null makes an account key;
 * {@code revokedAt} non-null disables it.
 */
public record ApiKeyRecord(
    String keyHash,
    String accountId,
    String workspaceId,
    String usagePlan,
    String description,
    Instant createdAt,
    Instant revokedAt) {

  public String keyId() {
    return ApiKeys.keyId(keyHash);
  }

  public boolean isActive() {
    return revokedAt == null;
  }

  public ApiKeyScope scope() {
    return new ApiKeyScope(accountId, workspaceId, keyId());
  }
}
