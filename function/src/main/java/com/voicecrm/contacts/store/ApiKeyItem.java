package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.ApiKeyRecord;
import com.voicecrm.contacts.store.Schemas.Keyed;
import com.voicecrm.contacts.store.Schemas.KeyedBuilder;
import java.time.Instant;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/**
 * An API key's scope, stored under the key's hash; the key itself is never stored. {@code keyId}
 * (the hash's first characters) is stored for operators reading the table; it is derived, never
 * read back.
 */
record ApiKeyItem(
    String pk,
    String sk,
    String keyId,
    String accountId,
    String workspaceId,
    String usagePlan,
    String description,
    String createdAt,
    String revokedAt)
    implements Keyed {

  /** Set once by a revocation. */
  static final String REVOKED_AT = "revokedAt";

  static ApiKeyItem of(ApiKeyRecord record) {
    return new ApiKeyItem(
        Keys.apiKey(record.keyHash()),
        Keys.API_KEY,
        record.keyId(),
        record.accountId(),
        record.workspaceId(),
        record.usagePlan(),
        record.description(),
        record.createdAt().toString(),
        record.revokedAt() == null ? null : record.revokedAt().toString());
  }

  ApiKeyRecord toRecord() {
    return new ApiKeyRecord(
        Keys.keyHashOf(pk),
        accountId,
        workspaceId,
        usagePlan,
        description,
        createdAt == null ? Instant.EPOCH : Instant.parse(createdAt),
        revokedAt == null ? null : Instant.parse(revokedAt));
  }

  static final class Builder extends KeyedBuilder {
    String keyId;
    String accountId;
    String workspaceId;
    String usagePlan;
    String description;
    String createdAt;
    String revokedAt;

    ApiKeyItem build() {
      return new ApiKeyItem(
          pk, sk, keyId, accountId, workspaceId, usagePlan, description, createdAt, revokedAt);
    }
  }

  static final TableSchema<ApiKeyItem> SCHEMA =
      Schemas.keyed(ApiKeyItem.class, Builder.class, Builder::new, Builder::build)
          .addAttribute(
              String.class,
              a -> a.name("keyId").getter(ApiKeyItem::keyId).setter((b, v) -> b.keyId = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("accountId")
                      .getter(ApiKeyItem::accountId)
                      .setter((b, v) -> b.accountId = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("workspaceId")
                      .getter(ApiKeyItem::workspaceId)
                      .setter((b, v) -> b.workspaceId = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("usagePlan")
                      .getter(ApiKeyItem::usagePlan)
                      .setter((b, v) -> b.usagePlan = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("description")
                      .getter(ApiKeyItem::description)
                      .setter((b, v) -> b.description = v))
          .addAttribute(
              String.class,
              a ->
                  a.name("createdAt")
                      .getter(ApiKeyItem::createdAt)
                      .setter((b, v) -> b.createdAt = v))
          .addAttribute(
              String.class,
              a ->
                  a.name(REVOKED_AT)
                      .getter(ApiKeyItem::revokedAt)
                      .setter((b, v) -> b.revokedAt = v))
          .build();
}
