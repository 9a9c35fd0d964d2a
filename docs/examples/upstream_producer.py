#!/usr/bin/python3
"""Produce one record to an answerline topic as an upstream system would: Confluent's Python client (librdkafka)
at its default settings, the value in the Confluent wire format with the schema the registry holds for the topic,
the key the record's conversationId.

  upstream_producer.py [--bootstrap-servers H:P] [--registry URL] [--partitioner P] [--partition N] TOPIC RECORD_JSON

RECORD_JSON is the record as plain JSON: optional fields may be left out (they take their defaults), unions are
written unwrapped, enums as their symbol, times (timestamp-millis) as epoch milliseconds. Prints where the record
went: {"topic": ..., "partition": ..., "offset": ...}. See docs/upstream-producers.md.

Needs Debian's python3-confluent-kafka, python3-avro and python3-requests (run with /usr/bin/python3).
"""
import argparse
import datetime
import json
import sys

from confluent_kafka import Producer
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def to_datum(schema, value, default=None):
    """Plain JSON -> the Python datum avro's writer expects (datetimes for timestamp-millis, defaults filled in)."""
    if value is None:
        value = default
    if value is None:
        return None
    if schema.type == "record":
        return {f.name: to_datum(f.type, value.get(f.name), f.default if f.has_default else None)
                for f in schema.fields}
    if schema.type == "union":
        branch = next(s for s in schema.schemas if s.type != "null")
        return to_datum(branch, value)
    if schema.type == "array":
        return [to_datum(schema.items, v) for v in value]
    if schema.type == "map":
        return {k: to_datum(schema.values, v) for k, v in value.items()}
    if schema.type == "long" and schema.get_prop("logicalType") == "timestamp-millis":
        return EPOCH + datetime.timedelta(milliseconds=value)
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--registry", default="http://127.0.0.1:8085/apis/ccompat/v7")
    parser.add_argument("--partitioner", help="librdkafka's partitioner; default consistent_random (CRC32), "
                                              "murmur2_random places keys as Java does")
    parser.add_argument("--partition", type=int, help="an explicit partition instead of the partitioner's")
    parser.add_argument("topic")
    parser.add_argument("record")
    args = parser.parse_args()

    registry = CachedSchemaRegistryClient({"url": args.registry})
    schema_id, schema, _ = registry.get_latest_schema(args.topic + "-value")
    if schema is None:
        sys.exit("no schema registered under %s-value: the topic's reader registers it when it starts" % args.topic)
    record = json.loads(args.record)
    value = MessageSerializer(registry).encode_record_with_schema_id(schema_id, to_datum(schema, record))

    config = {"bootstrap.servers": args.bootstrap_servers}
    if args.partitioner:
        config["partitioner"] = args.partitioner
    producer = Producer(config)
    delivered = []
    extra = {} if args.partition is None else {"partition": args.partition}
    producer.produce(args.topic, key=record["conversationId"].encode("utf-8"), value=value,
                     on_delivery=lambda err, msg: delivered.append((err, msg)), **extra)
    producer.flush(30)
    if not delivered or delivered[0][0] is not None:
        sys.exit("not delivered: %s" % (delivered[0][0] if delivered else "timed out"))
    msg = delivered[0][1]
    print(json.dumps({"topic": msg.topic(), "partition": msg.partition(), "offset": msg.offset()}))


if __name__ == "__main__":
    main()
