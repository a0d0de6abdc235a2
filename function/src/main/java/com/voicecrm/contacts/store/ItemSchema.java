package com.voicecrm.contacts.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A static, reflection-free mapping between one item class and its DynamoDB attributes, for the
 * four attribute types the items use: String (S), Long (N), list of String (L of S) and map of
 * String to String (M of S). It stores exactly what the enhanced client's {@code StaticTableSchema}
 * stored, without that client's 170-odd classes and its registry of a converter for every Java
 * type, which it builds on the first request (about 60 ms of a cold start here).
 */
final class ItemSchema<T> {

  private final Supplier<T> newItem;
  private final List<Attribute<T, ?>> attributes;

  private ItemSchema(Supplier<T> newItem, List<Attribute<T, ?>> attributes) {
    this.newItem = newItem;
    this.attributes = List.copyOf(attributes);
  }

  static <T> Builder<T> builder(Supplier<T> newItem) {
    return new Builder<>(newItem);
  }

  /**
   * The item's attributes; a null field is left out when {@code ignoreNulls}, else stored as NULL.
   */
  Map<String, AttributeValue> itemToMap(T item, boolean ignoreNulls) {
    Map<String, AttributeValue> map = new HashMap<>();
    for (Attribute<T, ?> attribute : attributes) {
      AttributeValue value = attribute.read(item);
      if (value != null) {
        map.put(attribute.name, value);
      } else if (!ignoreNulls) {
        map.put(attribute.name, AttributeValue.fromNul(true));
      }
    }
    return map;
  }

  /** A new item with every attribute of {@code map} that the schema knows; others are ignored. */
  T mapToItem(Map<String, AttributeValue> map) {
    T item = newItem.get();
    for (Attribute<T, ?> attribute : attributes) {
      AttributeValue value = map.get(attribute.name);
      if (value != null && !Boolean.TRUE.equals(value.nul())) {
        attribute.write(item, value);
      }
    }
    return item;
  }

  private record Attribute<T, V>(
      String name,
      Function<T, V> getter,
      BiConsumer<T, V> setter,
      Function<V, AttributeValue> toValue,
      Function<AttributeValue, V> fromValue) {

    AttributeValue read(T item) {
      V value = getter.apply(item);
      return value == null ? null : toValue.apply(value);
    }

    void write(T item, AttributeValue value) {
      setter.accept(item, fromValue.apply(value));
    }
  }

  static final class Builder<T> {
    private final Supplier<T> newItem;
    private final List<Attribute<T, ?>> attributes = new ArrayList<>();

    private Builder(Supplier<T> newItem) {
      this.newItem = newItem;
    }

    Builder<T> string(String name, Function<T, String> getter, BiConsumer<T, String> setter) {
      attributes.add(
          new Attribute<>(name, getter, setter, AttributeValue::fromS, ItemSchema::text));
      return this;
    }

    Builder<T> number(String name, Function<T, Long> getter, BiConsumer<T, Long> setter) {
      attributes.add(
          new Attribute<>(
              name,
              getter,
              setter,
              v -> AttributeValue.fromN(v.toString()),
              v -> Long.valueOf(v.n())));
      return this;
    }

    Builder<T> stringList(
        String name, Function<T, List<String>> getter, BiConsumer<T, List<String>> setter) {
      attributes.add(new Attribute<>(name, getter, setter, ItemSchema::list, ItemSchema::list));
      return this;
    }

    Builder<T> stringMap(
        String name,
        Function<T, Map<String, String>> getter,
        BiConsumer<T, Map<String, String>> setter) {
      attributes.add(new Attribute<>(name, getter, setter, ItemSchema::map, ItemSchema::map));
      return this;
    }

    ItemSchema<T> build() {
      return new ItemSchema<>(newItem, attributes);
    }
  }

  private static String text(AttributeValue value) {
    // Written as S; a number or boolean put there by hand still reads as its text.
    if (value.s() != null) {
      return value.s();
    }
    if (value.n() != null) {
      return value.n();
    }
    return value.bool() == null ? null : value.bool().toString();
  }

  private static AttributeValue list(List<String> values) {
    List<AttributeValue> list = new ArrayList<>(values.size());
    for (String value : values) {
      list.add(value == null ? AttributeValue.fromNul(true) : AttributeValue.fromS(value));
    }
    return AttributeValue.fromL(list);
  }

  private static List<String> list(AttributeValue value) {
    List<String> list = new ArrayList<>();
    if (value.hasL()) {
      for (AttributeValue element : value.l()) {
        list.add(Boolean.TRUE.equals(element.nul()) ? null : text(element));
      }
    } else if (value.hasSs()) {
      list.addAll(value.ss());
    }
    return list;
  }

  private static AttributeValue map(Map<String, String> values) {
    Map<String, AttributeValue> map = new LinkedHashMap<>();
    values.forEach(
        (key, value) ->
            map.put(
                key, value == null ? AttributeValue.fromNul(true) : AttributeValue.fromS(value)));
    return AttributeValue.fromM(map);
  }

  private static Map<String, String> map(AttributeValue value) {
    Map<String, String> map = new LinkedHashMap<>();
    if (value.hasM()) {
      value
          .m()
          .forEach(
              (key, element) ->
                  map.put(key, Boolean.TRUE.equals(element.nul()) ? null : text(element)));
    }
    return map;
  }
}
