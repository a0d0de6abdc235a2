package com.voicecrm.contacts.store;

import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primaryPartitionKey;
import static software.amazon.awssdk.enhanced.dynamodb.mapper.StaticAttributeTags.primarySortKey;

import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticImmutableTableSchema;

/**
 * What every item's static schema shares: the table's key. Items are immutable records mapped by
 * the enhanced client's {@link StaticImmutableTableSchema} (no reflection, no bean introspection),
 * used through {@code itemToMap}/{@code mapToItem} with the low-level client.
 */
final class Schemas {

  private Schemas() {}

  /** An item: a record whose first two components are the table's key. */
  interface Keyed {
    String pk();

    String sk();
  }

  /**
   * The builder the schema fills when it reads an item; it exists only to build the record, and its
   * fields are set only by the schema's setters.
   */
  abstract static class KeyedBuilder {
    String pk;
    String sk;
  }

  /** A schema builder for {@code item} with the key attributes declared. */
  static <T extends Keyed, B extends KeyedBuilder> StaticImmutableTableSchema.Builder<T, B> keyed(
      Class<T> item, Class<B> builder, Supplier<B> newBuilder, Function<B, T> build) {
    return StaticImmutableTableSchema.builder(item, builder)
        .newItemBuilder(newBuilder, build)
        .addAttribute(
            String.class,
            a ->
                a.name(Keys.PK)
                    .getter(Keyed::pk)
                    .setter((b, v) -> b.pk = v)
                    .tags(primaryPartitionKey()))
        .addAttribute(
            String.class,
            a ->
                a.name(Keys.SK)
                    .getter(Keyed::sk)
                    .setter((b, v) -> b.sk = v)
                    .tags(primarySortKey()));
  }
}
