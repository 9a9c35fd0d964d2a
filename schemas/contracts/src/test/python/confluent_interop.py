#!/usr/bin/python3
"""Confluent's own (legacy) Python Avro serde, driven by ConfluentInteropIT.

Uses Debian's python3-confluent-kafka (confluent_kafka.avro: CachedSchemaRegistryClient + MessageSerializer,
no Kafka broker involved) with python3-avro and python3-requests. Records travel as "plain" JSON: unions
unwrapped, enums as symbol strings, timestamp-millis as epoch milliseconds (converted to and from datetime,
the type the Python library expects).

  encode  <registry-url> <topic> <schema-file> <record-json-file>   register <topic>-value, print wire bytes as hex
  encode-id <registry-url> <schema-id> <record-json-file>           write with an existing id, print hex
  decode  <registry-url> <hex>                                      print the decoded record as plain JSON
  serve                                                             the above, one JSON request per stdin line
                                                                    ({"args": [...]}), one JSON answer per line
                                                                    ({"out": "..."} or {"error": "..."}), so the
                                                                    IT pays Python's start-up once
"""
import datetime
import json
import sys
import traceback

import avro.schema
from confluent_kafka.avro import CachedSchemaRegistryClient
from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def to_datum(schema, value):
    """Plain JSON value -> the Python datum avro's DatumWriter expects for this schema."""
    if value is None:
        return None
    kind = schema.type
    if kind == "record":
        return {f.name: to_datum(f.type, value.get(f.name)) for f in schema.fields}
    if kind == "union":
        branch = next(s for s in schema.schemas if s.type != "null")
        return to_datum(branch, value)
    if kind == "array":
        return [to_datum(schema.items, v) for v in value]
    if kind == "map":
        return {k: to_datum(schema.values, v) for k, v in value.items()}
    if kind == "long" and schema.get_prop("logicalType") == "timestamp-millis":
        return EPOCH + datetime.timedelta(milliseconds=value)
    return value


def to_plain(value):
    """Decoded Python datum -> plain JSON (datetimes back to epoch milliseconds)."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return (value - EPOCH) // datetime.timedelta(milliseconds=1)
    return value


def run(args):
    command, url = args[0], args[1]
    registry = CachedSchemaRegistryClient(url)
    serializer = MessageSerializer(registry)
    if command == "encode":
        topic, schema_file, record_file = args[2], args[3], args[4]
        with open(schema_file, encoding="utf-8") as f:
            schema = avro.schema.parse(f.read())
        with open(record_file, encoding="utf-8") as f:
            record = to_datum(schema, json.load(f))
        return serializer.encode_record_with_schema(topic, schema, record).hex()
    elif command == "encode-id":
        schema_id, record_file = int(args[2]), args[3]
        schema = registry.get_by_id(schema_id)
        with open(record_file, encoding="utf-8") as f:
            record = to_datum(schema, json.load(f))
        return serializer.encode_record_with_schema_id(schema_id, record).hex()
    elif command == "decode":
        return json.dumps(to_plain(serializer.decode_message(bytes.fromhex(args[2]))), ensure_ascii=False)
    raise ValueError("unknown command " + command)


def serve():
    for line in sys.stdin:
        try:
            answer = {"out": run(json.loads(line)["args"])}
        except Exception:  # report every failure to the test, keep serving
            answer = {"error": traceback.format_exc()}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        serve()
    else:
        print(run(sys.argv[1:]))
