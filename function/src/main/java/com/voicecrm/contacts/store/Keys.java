package com.voicecrm.contacts.store;

import com.voicecrm.contacts.domain.Identifier;

/**
 * Partition keys of every item type. Each item has its own partition (the sort key is a constant
 * naming the type), so no workspace becomes a hot partition and every lookup is a GetItem.
 */
final class Keys {

  static final String CONTACT = "CONTACT";
  static final String IDENTIFIER = "IDENTIFIER";
  static final String TAG = "TAG";
  static final String WORKSPACE = "WORKSPACE";
  static final String ACCOUNT = "ACCOUNT";
  static final String API_KEY = "APIKEY";

  private Keys() {}

  static String contact(String contactId) {
    return "CONTACT#" + contactId;
  }

  static String identifier(String workspaceId, Identifier identifier) {
    return "WS#" + workspaceId + "#" + identifier.kind().name() + "#" + identifier.value();
  }

  static String tag(String workspaceId, String tag) {
    return "WS#" + workspaceId + "#TAG#" + tag;
  }

  static String workspace(String workspaceId) {
    return "WORKSPACE#" + workspaceId;
  }

  static String account(String accountId) {
    return "ACCOUNT#" + accountId;
  }

  static String apiKey(String keyHash) {
    return "APIKEY#" + keyHash;
  }
}
