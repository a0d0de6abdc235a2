"""The launcher as a process: it refuses a moto it was not written for, and over HTTP concurrent
clients see each transaction whole or not at all."""
import subprocess
import sys
import threading

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import LAUNCHER_DIR

LAUNCHER = LAUNCHER_DIR / "moto_server.py"
TABLE = "pairs"
WRITERS = 4
TRANSACTIONS_PER_WRITER = 50
READERS = 2


@pytest.fixture(scope="module")
def endpoint():
    server = subprocess.Popen(
        [sys.executable, str(LAUNCHER), "127.0.0.1", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        first_line = server.stdout.readline()
        assert first_line.startswith("MOTO_PORT="), first_line
        # Nothing else is expected on stdout, but keep the pipe from ever filling.
        threading.Thread(target=server.stdout.read, daemon=True).start()
        yield "http://127.0.0.1:" + first_line.split("=", 1)[1].strip()
    finally:
        server.terminate()
        server.wait(timeout=10)


def client(endpoint):
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 1}, max_pool_connections=2),
    )


def key(name):
    return {"pk": {"S": name}, "sk": {"S": "A"}}


def write_pair(dynamo, value):
    """Sets both halves of the pair to value; odd values fail on their last action."""
    gate = "attribute_exists(pk)" if value % 2 else "attribute_not_exists(pk)"
    actions = [
        {
            "Update": {
                "TableName": TABLE,
                "Key": key(half),
                "UpdateExpression": "SET v = :v",
                "ExpressionAttributeValues": {":v": {"N": str(value)}},
            }
        }
        for half in ("pair#left", "pair#right")
    ]
    actions.append(
        {"ConditionCheck": {"TableName": TABLE, "Key": key("gate"), "ConditionExpression": gate}}
    )
    try:
        dynamo.transact_write_items(TransactItems=actions)
        return "written"
    except ClientError as error:
        reasons = [r["Code"] for r in error.response["CancellationReasons"]]
        assert reasons == ["None", "None", "ConditionalCheckFailed"]
        return "cancelled"


def read_pair(dynamo):
    response = dynamo.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": TABLE, "Key": key(half)}} for half in ("pair#left", "pair#right")
        ]
    )
    return tuple(int(r["Item"]["v"]["N"]) for r in response["Responses"])


def test_concurrentClients_seeEachTransactionWholeOrNotAtAll(endpoint):
    setup = client(endpoint)
    setup.create_table(
        TableName=TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk")],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
    )
    write_pair(setup, 0)
    outcomes, pairs_read, failures = [], [], []
    writing_done = threading.Event()

    def writer(index):
        dynamo = client(endpoint)
        for n in range(TRANSACTIONS_PER_WRITER):
            outcomes.append(write_pair(dynamo, index * 1000 + n))

    def reader():
        dynamo = client(endpoint)
        while not writing_done.is_set():
            pairs_read.append(read_pair(dynamo))

    def guarded(target, *args):
        def run():
            try:
                target(*args)
            except Exception as error:  # noqa: BLE001 - reported by the test thread below
                failures.append(error)
        return threading.Thread(target=run)

    writers = [guarded(writer, i) for i in range(WRITERS)]
    readers = [guarded(reader) for _ in range(READERS)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    writing_done.set()
    for thread in readers:
        thread.join()

    assert failures == []
    half = WRITERS * TRANSACTIONS_PER_WRITER // 2
    assert outcomes.count("written") == outcomes.count("cancelled") == half
    assert pairs_read, "the readers read nothing"
    torn_or_cancelled = [p for p in pairs_read if p[0] != p[1] or p[0] % 2]
    assert torn_or_cancelled == []
    left, right = read_pair(setup)
    assert left == right and left % 2 == 0


def test_launcher_refusesAnotherMotoVersion_withANonZeroExitAndTheReason():
    pretend_other_version = (
        "import moto, runpy, sys; moto.__version__ = '5.3.0'; "
        f"sys.argv = [{str(LAUNCHER)!r}, '127.0.0.1', '0']; "
        f"runpy.run_path({str(LAUNCHER)!r}, run_name='__main__')"
    )

    result = subprocess.run(
        [sys.executable, "-c", pretend_other_version], capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 2
    assert "moto 5.3.0 is installed, but moto_server.py patches moto 5.2.5" in result.stderr
    assert "MOTO_PORT=" not in result.stdout
