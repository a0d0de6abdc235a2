package com.voicecrm.contacts.store;

import com.voicecrm.contacts.store.Schemas.Keyed;
import com.voicecrm.contacts.store.Schemas.KeyedBuilder;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

/** An account, as an operator defines it. */
record AccountItem(String pk, String sk, String id, String name) implements Keyed {

  static AccountItem of(String accountId, String name) {
    return new AccountItem(Keys.account(accountId), Keys.ACCOUNT, accountId, name);
  }

  static final class Builder extends KeyedBuilder {
    String id;
    String name;

    AccountItem build() {
      return new AccountItem(pk, sk, id, name);
    }
  }

  static final TableSchema<AccountItem> SCHEMA =
      Schemas.keyed(AccountItem.class, Builder.class, Builder::new, Builder::build)
          .addAttribute(
              String.class, a -> a.name("id").getter(AccountItem::id).setter((b, v) -> b.id = v))
          .addAttribute(
              String.class,
              a -> a.name("name").getter(AccountItem::name).setter((b, v) -> b.name = v))
          .build();
}
