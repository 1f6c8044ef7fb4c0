package org.kring.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A new subscriber of Kring's contacts, as another organisation's system would write one: it
 * builds a read model of contacts (names, e-mails, groups) and groups (name, members).
 *
 * <ol>
 *   <li>Reads the compacted state topics from the beginning to their current end: the latest
 *       snapshot of every contact and group, with the sequence it was taken at (a null value is a
 *       tombstone: deleted or erased).
 *   <li>Then follows the change topic from its earliest retained offset, skipping every event
 *       whose sequence is not above what it has for that subject (the snapshot already holds it).
 * </ol>
 *
 * <p>It writes the read model as JSON to the output file (replaced atomically) once caught up and
 * after every batch that changed it, and runs until stopped.
 *
 * <p>Usage: {@code java -jar kring-subscriber.jar BOOTSTRAP_SERVERS OUTPUT_FILE}
 */
public final class ReadModelSubscriber {
  static final String CONTACT_STATE_TOPIC = "kring.contacts.contact.state.v1";
  static final String GROUP_STATE_TOPIC = "kring.contacts.group.state.v1";
  static final String CHANGE_TOPIC = "kring.contacts.v1";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** A contact as this read model keeps it. */
  static final class Contact {
    String firstName;
    String lastName;
    List<String> emails = new ArrayList<>();
    final TreeSet<String> groupIds = new TreeSet<>();
  }

  private final Map<String, Contact> contacts = new HashMap<>();
  private final Map<String, String> groupNames = new HashMap<>();
  // The sequence of each subject (contact or group id) the read model holds.
  private final Map<String, Long> sequences = new HashMap<>();
  private long applied;
  private long skipped;
  private long snapshots;

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: java -jar kring-subscriber.jar BOOTSTRAP_SERVERS OUTPUT_FILE");
      System.exit(2);
    }
    Path output = Path.of(args[1]);
    ReadModelSubscriber model = new ReadModelSubscriber();
    try (KafkaConsumer<String, String> consumer = newConsumer(args[0])) {
      model.readState(consumer);
      model.followChanges(consumer, output);
    }
  }

  static KafkaConsumer<String, String> newConsumer(String bootstrapServers) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // No consumer group: this example always starts afresh, so it assigns partitions itself.
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  /** Step 1: every snapshot on the state topics, up to their end offsets as they are now. */
  void readState(KafkaConsumer<String, String> consumer) {
    List<TopicPartition> partitions = partitionsOf(consumer, CONTACT_STATE_TOPIC);
    partitions.addAll(partitionsOf(consumer, GROUP_STATE_TOPIC));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    while (!reached(consumer, ends)) {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
        applySnapshot(record.topic(), record.key(), record.value());
      }
    }
  }

  /** Step 2: the change topic from its earliest retained offset, for as long as we run. */
  void followChanges(KafkaConsumer<String, String> consumer, Path output) throws IOException {
    List<TopicPartition> partitions = partitionsOf(consumer, CHANGE_TOPIC);
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    boolean caughtUp = false;
    while (true) {
      var records = consumer.poll(Duration.ofMillis(500));
      for (ConsumerRecord<String, String> record : records) {
        if (record.value() != null) {
          applyChange(readTree(record.value()));
        }
      }
      boolean wasCaughtUp = caughtUp;
      caughtUp = caughtUp || reached(consumer, ends);
      if (caughtUp && (!records.isEmpty() || !wasCaughtUp)) {
        write(output);
      }
    }
  }

  void applySnapshot(String topic, String key, String value) {
    if (value == null) { // a tombstone: the contact or group is gone
      contacts.remove(key);
      groupNames.remove(key);
      sequences.remove(key);
      return;
    }
    JsonNode envelope = readTree(value);
    JsonNode data = envelope.get("data");
    snapshots++;
    sequences.put(key, envelope.get("sequence").asLong());
    if (topic.equals(GROUP_STATE_TOPIC)) {
      groupNames.put(key, data.get("name").asText());
      return;
    }
    Contact contact = details(new Contact(), data.get("contact"));
    data.get("group_ids").forEach(id -> contact.groupIds.add(id.asText()));
    contacts.put(key, contact);
  }

  void applyChange(JsonNode envelope) {
    String subject = envelope.get("subject").asText();
    long sequence = envelope.get("sequence").asLong();
    if (sequence <= sequences.getOrDefault(subject, 0L)) {
      skipped++; // the snapshot (or an earlier copy of this event) already holds it
      return;
    }
    sequences.put(subject, sequence);
    applied++;
    JsonNode data = envelope.get("data");
    switch (envelope.get("type").asText()) {
      case "kring.contacts.contact.created", "kring.contacts.contact.updated" ->
          details(contacts.computeIfAbsent(subject, id -> new Contact()), data.get("contact"));
      case "kring.contacts.contact.deleted",
          "kring.contacts.contact.erased",
          "kring.contacts.contact.merged" ->
          contacts.remove(subject);
      case "kring.contacts.group_member.added" -> {
        Contact contact = contacts.get(subject);
        if (contact != null) {
          contact.groupIds.add(data.get("group_id").asText());
        }
      }
      case "kring.contacts.group_member.removed" -> {
        Contact contact = contacts.get(subject);
        if (contact != null) {
          contact.groupIds.remove(data.get("group_id").asText());
        }
      }
      case "kring.contacts.group.created", "kring.contacts.group.renamed" ->
          groupNames.put(subject, data.get("name").asText());
      case "kring.contacts.group.deleted" -> groupNames.remove(subject);
      default -> {} // families, companies: not in this read model (the sequence still counts)
    }
  }

  private static Contact details(Contact contact, JsonNode details) {
    contact.firstName = details.get("first_name").asText();
    contact.lastName = details.get("last_name").asText();
    contact.emails = new ArrayList<>();
    details.get("emails").forEach(email -> contact.emails.add(email.asText()));
    return contact;
  }

  /** The read model as JSON: contacts and groups by id, and what was applied and skipped. */
  void write(Path output) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    Map<String, TreeSet<String>> members = new TreeMap<>();
    groupNames.keySet().forEach(id -> members.put(id, new TreeSet<>()));
    ObjectNode contactsNode = root.putObject("contacts");
    new TreeMap<>(contacts)
        .forEach(
            (id, contact) -> {
              ObjectNode node = contactsNode.putObject(id);
              node.put("first_name", contact.firstName);
              node.put("last_name", contact.lastName);
              var emails = node.putArray("emails");
              contact.emails.forEach(emails::add);
              var groupIds = node.putArray("group_ids");
              contact.groupIds.forEach(groupIds::add);
              contact.groupIds.forEach(
                  group -> members.computeIfAbsent(group, g -> new TreeSet<>()).add(id));
            });
    ObjectNode groupsNode = root.putObject("groups");
    new TreeMap<>(groupNames)
        .forEach(
            (id, name) -> {
              ObjectNode node = groupsNode.putObject(id);
              node.put("name", name);
              var memberIds = node.putArray("member_ids");
              members.get(id).forEach(memberIds::add);
            });
    root.put("snapshots", snapshots);
    root.put("applied", applied);
    root.put("skipped", skipped);
    Path partial = output.resolveSibling(output.getFileName() + ".partial");
    JSON.writeValue(partial.toFile(), root);
    Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static List<TopicPartition> partitionsOf(
      KafkaConsumer<String, String> consumer, String topic) {
    List<TopicPartition> partitions = new ArrayList<>();
    for (PartitionInfo info : consumer.partitionsFor(topic)) {
      partitions.add(new TopicPartition(topic, info.partition()));
    }
    return partitions;
  }

  private static boolean reached(
      KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream()
        .allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
  }

  private static JsonNode readTree(String value) {
    try {
      return JSON.readTree(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a CloudEvent in JSON: " + value, e);
    }
  }
}
