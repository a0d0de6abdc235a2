package com.voicecrm.contacts.domain;

import java.util.Optional;

/** Finds the stored record of an API key by the key's hash. */
public interface ApiKeyLookup {

  Optional<ApiKeyRecord> findByHash(String keyHash);
}
