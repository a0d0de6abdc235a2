"""moto_server.py's undo log for TransactWriteItems: all or nothing, moto's own answers, O(items).

In-process through boto3 and moto's request layer (mock_aws), with the patch installed; each
comparison runs the same requests once more with moto's own transact_write_items.
"""
import contextlib

import boto3
import moto
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb import dynamodb_backends
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import Item

import moto_server

REGION = "us-east-1"
TABLE = "contacts-test"
OTHER_TABLE = "other-test"

moto_server.install()
PATCHED = DynamoDBBackend.transact_write_items
MOTO_OWN = PATCHED.moto_original


@contextlib.contextmanager
def dynamodb(rollback="undo-log", streams=False):
    """A fresh moto with the contacts table's key schema, seeded with three items."""
    DynamoDBBackend.transact_write_items = PATCHED if rollback == "undo-log" else MOTO_OWN
    try:
        with mock_aws():
            client = boto3.client(
                "dynamodb",
                region_name=REGION,
                aws_access_key_id="test",
                aws_secret_access_key="test",
            )
            for name in (TABLE, OTHER_TABLE):
                create_table(client, name, streams)
            for item in SEED:
                client.put_item(TableName=TABLE, Item=item)
            yield client
    finally:
        DynamoDBBackend.transact_write_items = PATCHED


def create_table(client, name, streams):
    extra = {
        "StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    }
    client.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        **(extra if streams else {}),
    )


def key(pk, sk="A"):
    return {"pk": {"S": pk}, "sk": {"S": sk}}


SEED = [
    {**key("contact#1"), "version": {"N": "1"}, "tags": {"SS": ["vip"]}},
    {**key("contact#2"), "version": {"N": "4"}, "name": {"S": "Ada"}},
    {**key("phone#+14155550001"), "contactId": {"S": "contact#1"}},
    {**key("workspace#main"), "fieldCount": {"N": "2"}},
]


def table_contents(client, name=TABLE):
    items = client.scan(TableName=name, ConsistentRead=True)["Items"]
    return sorted(items, key=lambda item: (item["pk"]["S"], item["sk"]["S"]))


def stream_record_count(name=TABLE):
    shard = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].get_table(name).stream_shard
    return len(shard.items)


def put(item, condition=None, **extra):
    action = {"TableName": TABLE, "Item": item, **extra}
    if condition:
        action["ConditionExpression"] = condition
    return {"Put": action}


def update(item_key, expression, values, condition=None, table=TABLE, **extra):
    action = {
        "TableName": table,
        "Key": item_key,
        "UpdateExpression": expression,
        "ExpressionAttributeValues": values,
        **extra,
    }
    if condition:
        action["ConditionExpression"] = condition
    return {"Update": action}


def delete(item_key, condition=None):
    action = {"TableName": TABLE, "Key": item_key}
    if condition:
        action["ConditionExpression"] = condition
    return {"Delete": action}


def condition_check(item_key, condition, **extra):
    return {
        "ConditionCheck": {
            "TableName": TABLE,
            "Key": item_key,
            "ConditionExpression": condition,
            **extra,
        }
    }


# Every kind of write the service makes, ahead of the action that fails.
EARLIER_WRITES = [
    put({**key("contact#3"), "version": {"N": "1"}}, "attribute_not_exists(pk)"),
    put(
        {**key("contact#2"), "version": {"N": "5"}},
        "version = :v",
        ExpressionAttributeValues={":v": {"N": "4"}},
    ),
    update(
        key("contact#1"),
        "SET version = version + :one ADD tags :t",
        {":one": {"N": "1"}, ":t": {"SS": ["new"]}},
    ),
    update(key("email#ada@example.com"), "SET contactId = :c", {":c": {"S": "contact#2"}}),
    delete(key("phone#+14155550001"), "contactId = :c"),
]
for action in EARLIER_WRITES:
    if "Delete" in action:
        action["Delete"]["ExpressionAttributeValues"] = {":c": {"S": "contact#1"}}

BIG = "x" * (401 * 1024)


def transact(client, actions):
    """The outcome as a client sees it: the error code, message and cancellation reasons."""
    try:
        client.transact_write_items(TransactItems=actions)
        return None
    except ClientError as error:
        return (
            error.response["Error"]["Code"],
            error.response["Error"]["Message"],
            error.response.get("CancellationReasons"),
        )


def test_failedConditionInLastAction_leavesEveryEarlierActionUndone():
    with dynamodb(streams=True) as client:
        before, records_before = table_contents(client), stream_record_count()

        last = condition_check(
            key("workspace#main"), "fieldCount = :n", ExpressionAttributeValues={":n": {"N": "3"}}
        )
        outcome = transact(client, EARLIER_WRITES + [last])

        assert outcome[0] == "TransactionCanceledException"
        assert [r["Code"] for r in outcome[2]] == ["None"] * 5 + ["ConditionalCheckFailed"]
        assert table_contents(client) == before
        assert stream_record_count() == records_before


@pytest.mark.parametrize(
    "too_large",
    [
        put({**key("contact#9"), "photoData": {"S": BIG}}),
        # Grows a stored item past 400 KB: moto changes the item in place before it notices.
        update(key("contact#2"), "SET photoData = :b", {":b": {"S": BIG}}),
    ],
    ids=["put", "update"],
)
def test_itemSizeErrorInLastAction_leavesEveryEarlierActionUndone(too_large):
    with dynamodb() as client:
        before = table_contents(client)

        # contact#2 is written twice when the update grows it; use the other earlier writes then.
        earlier = EARLIER_WRITES
        if "Update" in too_large:
            earlier = [action for action in EARLIER_WRITES if "contact#2" not in str(action)]
        outcome = transact(client, earlier + [too_large])

        assert outcome[0] == "ValidationException"
        assert "size" in outcome[1]
        assert table_contents(client) == before


def test_successfulTransaction_writesEveryAction():
    with dynamodb() as client:
        assert transact(client, EARLIER_WRITES) is None

        contents = {(i["pk"]["S"], i["sk"]["S"]): i for i in table_contents(client)}
        assert set(contents) == {
            ("contact#1", "A"),
            ("contact#2", "A"),
            ("contact#3", "A"),
            ("email#ada@example.com", "A"),
            ("workspace#main", "A"),
        }
        assert contents[("contact#1", "A")]["version"] == {"N": "2"}
        assert set(contents[("contact#1", "A")]["tags"]["SS"]) == {"vip", "new"}
        assert contents[("contact#2", "A")]["version"] == {"N": "5"}


SCENARIOS = {
    "success": EARLIER_WRITES,
    "last condition fails, ALL_OLD": EARLIER_WRITES
    + [put(SEED[1], "attribute_not_exists(pk)", ReturnValuesOnConditionCheckFailure="ALL_OLD")],
    "first and last conditions fail": [
        put(SEED[0], "attribute_not_exists(pk)"),
        update(key("contact#2"), "SET version = :v", {":v": {"N": "5"}}),
        delete(key("contact#1"), "attribute_not_exists(pk)"),
    ],
    "condition on a missing item": EARLIER_WRITES
    + [
        condition_check(
            key("contact#404"),
            "attribute_exists(pk)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    ],
    "put too large": EARLIER_WRITES + [put({**key("contact#9"), "photoData": {"S": BIG}})],
    "update grows item too large": EARLIER_WRITES[:1]
    + [update(key("contact#1"), "SET photoData = :b", {":b": {"S": BIG}})],
    "two actions on one item": EARLIER_WRITES + [delete(key("contact#3"))],
    "two tables, second fails": [
        update(key("x"), "SET n = :n", {":n": {"N": "1"}}, table=OTHER_TABLE),
        put(SEED[2], "attribute_not_exists(pk)"),
    ],
    "missing table": EARLIER_WRITES
    + [update(key("x"), "SET n = :n", {":n": {"N": "1"}}, table="no-such-table")],
    "range key missing": EARLIER_WRITES + [delete({"pk": {"S": "contact#1"}})],
    "update expression fails on existing value": EARLIER_WRITES[:2]
    + [update(key("contact#2"), "SET version = name + :one", {":one": {"N": "1"}})],
}


@pytest.mark.parametrize("actions", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_outcomeAndTables_areMotosOwn(actions):
    observed = {}
    for rollback in ("undo-log", "moto"):
        with dynamodb(rollback, streams=True) as client:
            outcome = transact(client, actions)
            observed[rollback] = (
                outcome,
                table_contents(client),
                table_contents(client, OTHER_TABLE),
                stream_record_count(),
                stream_record_count(OTHER_TABLE),
            )

    assert observed["undo-log"] == observed["moto"]


def test_failedTransaction_copiesOnlyTheItemsItNames_whateverTheTableSize(monkeypatch):
    copies = []
    moto_copy = Item.__deepcopy__
    monkeypatch.setattr(
        Item, "__deepcopy__", lambda self, memo: copies.append(1) or moto_copy(self, memo)
    )
    actions = EARLIER_WRITES + [condition_check(key("workspace#main"), "attribute_not_exists(pk)")]

    counts = []
    for extra_items in (0, 500):
        with dynamodb() as client:
            for n in range(extra_items):
                client.put_item(TableName=TABLE, Item={**key(f"filler#{n}"), "n": {"N": str(n)}})
            copies.clear()
            assert transact(client, actions)[0] == "TransactionCanceledException"
            counts.append(len(copies))

    assert counts[0] == counts[1]
    # One copy per stored item the writes name, and update_item's own one for its stream record.
    assert counts[0] <= 2 * len(EARLIER_WRITES)


def test_check_refusesAnotherMotoVersion(monkeypatch):
    monkeypatch.setattr(moto, "__version__", "5.2.6")

    with pytest.raises(moto_server.IncompatibleMoto, match="moto 5.2.6 is installed"):
        moto_server.check_moto()


def test_check_namesAChangedFunction(monkeypatch):
    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", MOTO_OWN)
    monkeypatch.setattr(DynamoDBBackend, "update_item", lambda self, *args, **kwargs: None)

    with pytest.raises(moto_server.IncompatibleMoto, match="DynamoDBBackend.update_item"):
        moto_server.check_moto()


def test_check_passesOnTheMotoOfRequirements(monkeypatch):
    monkeypatch.setattr(DynamoDBBackend, "transact_write_items", MOTO_OWN)

    moto_server.check_moto()
