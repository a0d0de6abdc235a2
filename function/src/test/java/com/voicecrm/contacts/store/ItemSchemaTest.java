package com.voicecrm.contacts.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.voicecrm.contacts.store.Items.ContactItem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.EnhancedType;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.StaticTableSchema;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link ItemSchema} replaced the enhanced client's {@code StaticTableSchema}: items already in a
 * table must read the same, and new items must be stored the same, attribute for attribute.
 */
class ItemSchemaTest {

  /** The contact schema as it was declared with the enhanced client. */
  private static final TableSchema<ContactItem> ENHANCED =
      StaticTableSchema.builder(ContactItem.class)
          .newItemSupplier(ContactItem::new)
          .addAttribute(
              String.class, a -> a.name("pk").getter(i -> i.pk).setter((i, v) -> i.pk = v))
          .addAttribute(
              String.class, a -> a.name("sk").getter(i -> i.sk).setter((i, v) -> i.sk = v))
          .addAttribute(
              String.class, a -> a.name("id").getter(i -> i.id).setter((i, v) -> i.id = v))
          .addAttribute(
              String.class,
              a -> a.name("firstName").getter(i -> i.firstName).setter((i, v) -> i.firstName = v))
          .addAttribute(
              String.class,
              a -> a.name("lastName").getter(i -> i.lastName).setter((i, v) -> i.lastName = v))
          .addAttribute(
              String.class,
              a -> a.name("deletedAt").getter(i -> i.deletedAt).setter((i, v) -> i.deletedAt = v))
          .addAttribute(
              EnhancedType.listOf(String.class),
              a -> a.name("tags").getter(i -> i.tags).setter((i, v) -> i.tags = v))
          .addAttribute(
              EnhancedType.mapOf(String.class, String.class),
              a ->
                  a.name("customFields")
                      .getter(i -> i.customFields)
                      .setter((i, v) -> i.customFields = v))
          .addAttribute(
              Long.class,
              a -> a.name("version").getter(i -> i.version).setter((i, v) -> i.version = v))
          .build();

  @Test
  void itemToMap_storesWhatTheEnhancedClientStored() {
    for (ContactItem item : List.of(full(), sparse())) {
      assertEquals(ENHANCED.itemToMap(item, true), Items.CONTACT.itemToMap(item, true));
    }
  }

  @Test
  void mapToItem_readsWhatTheEnhancedClientStored() {
    for (ContactItem item : List.of(full(), sparse())) {
      ContactItem read = Items.CONTACT.mapToItem(ENHANCED.itemToMap(item, true));
      assertEquals(ENHANCED.itemToMap(item, true), ENHANCED.itemToMap(read, true));
    }
  }

  @Test
  void mapToItem_leavesAbsentAndNullAttributesNull() {
    Map<String, AttributeValue> map = new LinkedHashMap<>();
    map.put("pk", AttributeValue.fromS("CONTACT#1"));
    map.put("firstName", AttributeValue.fromNul(true));
    ContactItem read = Items.CONTACT.mapToItem(map);
    assertEquals("CONTACT#1", read.pk);
    assertNull(read.firstName);
    assertNull(read.tags);
    assertNull(read.version);
  }

  private static ContactItem full() {
    ContactItem item = new ContactItem();
    item.pk = "CONTACT#1";
    item.sk = "CONTACT";
    item.id = "1";
    item.firstName = "Ada";
    item.lastName = "";
    item.tags = new ArrayList<>(List.of("vip", "Lead"));
    item.customFields = new LinkedHashMap<>(Map.of("f1", "Website", "f2", "250.50"));
    item.version = 7L;
    return item;
  }

  private static ContactItem sparse() {
    ContactItem item = new ContactItem();
    item.pk = "CONTACT#2";
    item.sk = "CONTACT";
    item.tags = new ArrayList<>();
    item.customFields = new LinkedHashMap<>();
    return item;
  }
}
