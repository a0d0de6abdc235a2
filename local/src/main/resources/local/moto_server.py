"""Runs moto's DynamoDB as a single-threaded server on a free loopback port.

moto's own server handles each request on a thread, and its transactions are not isolated from
each other. One thread makes every request atomic, as each is in DynamoDB. The chosen port is
printed as the first line of output so the caller can connect.

moto rolls a failed TransactWriteItems back by deep-copying every table the transaction names
before it starts, so each transaction costs time and memory in proportion to the table: after
hours of `make run` traffic a write takes seconds and moto holds gigabytes. This launcher keeps
moto's own transaction code (its checks, its order, its cancellation reasons) and replaces only
the rollback: an undo log records the items the transaction names, and a failed transaction puts
back just those. The patch is written against one moto version; the launcher refuses to start
on any other, or when a function the undo log relies on has changed.
"""
import copy
import hashlib
import inspect
import sys

MOTO_VERSION = "5.2.5"

# The moto functions whose behaviour the undo log relies on, with a digest of their source in
# moto 5.2.5: transact_write_items itself, the writes it makes (every one on the key of its
# action, update_item changing the stored item in place), and where items and stream records live.
PATCHED_FUNCTIONS = {
    "DynamoDBBackend.transact_write_items": "81db2cb7d94e39c9",
    "DynamoDBBackend.update_item": "218984588dd689a5",
    "DynamoDBBackend.get_keys_value": "1f948797496ddc2c",
    "Table.put_item": "de23933013ef8426",
    "Table.get_item": "b08e98fe37b7e583",
    "Table.delete_item": "1594f7b07616c8cb",
    "StreamShard.add": "357dc6da267e5dd7",
}


class IncompatibleMoto(RuntimeError):
    """moto is not the version, or not the code, the transaction patch was written for."""


def check_moto():
    """Raises IncompatibleMoto unless moto is the version and code the patch expects."""
    import moto
    from moto.dynamodb import models
    from moto.dynamodb.models.table import StreamShard, Table

    if moto.__version__ != MOTO_VERSION:
        raise IncompatibleMoto(
            f"moto {moto.__version__} is installed, but moto_server.py patches moto "
            f"{MOTO_VERSION}'s transactions; install the version in requirements-dev.txt "
            "(make venv) or update the patch and its digests"
        )
    owners = {"DynamoDBBackend": models.DynamoDBBackend, "Table": Table, "StreamShard": StreamShard}
    changed = []
    for name, expected in PATCHED_FUNCTIONS.items():
        owner, attribute = name.split(".")
        function = getattr(owners[owner], attribute, None)
        try:
            digest = hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]
        except (OSError, TypeError):
            digest = None
        if digest != expected:
            changed.append(name)
    if models.copy is not copy:
        changed.append("moto.dynamodb.models.copy")
    if changed:
        raise IncompatibleMoto(
            "moto's code differs from what moto_server.py's transaction patch expects: "
            + ", ".join(changed)
        )


class UndoLog:
    """The state before a transaction of the items it names, and of their tables' streams."""

    def __init__(self):
        self._items = {}
        self._streams = {}

    def remember(self, table, hash_key, range_key):
        slot = (id(table), hash_key, range_key)
        if slot in self._items:
            return  # moto refuses a second action on one item; the first state is the one to keep
        # A copy, not a reference: an Update changes the stored item in place.
        prior = copy.deepcopy(_stored_item(table, hash_key, range_key))
        self._items[slot] = (table, hash_key, range_key, prior)
        shard = table.stream_shard
        if shard is not None and id(shard) not in self._streams:
            self._streams[id(shard)] = (shard, len(shard.items))

    def restore(self):
        for table, hash_key, range_key, prior in self._items.values():
            _store_item(table, hash_key, range_key, prior)
        for shard, length in self._streams.values():
            del shard.items[length:]


def _stored_item(table, hash_key, range_key):
    # Reads table.items directly: Table.get_item would add an empty partition to the defaultdict.
    if range_key is None:
        return table.items.get(hash_key)
    return table.items.get(hash_key, {}).get(range_key)


def _store_item(table, hash_key, range_key, item):
    if range_key is None:
        if item is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = item
    elif item is None:
        table.items.get(hash_key, {}).pop(range_key, None)
    else:
        table.items[hash_key][range_key] = item


def _named_items(backend, transact_items):
    """(table, hash key, range key) of each write action, found the way moto finds them."""
    for action in transact_items:
        try:
            ((action_type, operation),) = action.items()
            if action_type == "ConditionCheck":
                continue
            table = backend.get_table(operation["TableName"])
            if action_type == "Put":
                attributes = operation["Item"]
                key = {name: attributes[name] for name in table.table_key_attrs}
            else:
                key = operation["Key"]
            hash_key, range_key = backend.get_keys_value(table, key)
        except Exception:  # noqa: BLE001
            # moto's own code fails this action the same way, before it writes anything.
            continue
        yield table, hash_key, range_key


class _TablesByReference:
    """Stands in for the copy module in moto's DynamoDB models during a transaction.

    moto's copy of each table, taken to roll back, becomes the table itself, so moto's own
    rollback puts back the table it already holds; the undo log does the rolling back. Other
    copies (update_item's copy of the old item for the stream record) are real ones.
    """

    @staticmethod
    def deepcopy(value, memo=None):
        from moto.dynamodb.models.table import Table

        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def install():
    """Checks moto, then gives DynamoDBBackend.transact_write_items the undo log."""
    from moto.dynamodb import models

    if hasattr(models.DynamoDBBackend.transact_write_items, "moto_original"):
        return  # installed already
    check_moto()

    moto_transact_write_items = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        undo = UndoLog()
        for table, hash_key, range_key in _named_items(self, transact_items):
            undo.remember(table, hash_key, range_key)
        # Safe to swap a module global: the server runs one request at a time.
        models.copy = _TablesByReference
        try:
            return moto_transact_write_items(self, transact_items)
        except BaseException:
            undo.restore()
            raise
        finally:
            models.copy = copy

    transact_write_items.moto_original = moto_transact_write_items
    models.DynamoDBBackend.transact_write_items = transact_write_items


def main(argv):
    host = argv[1] if len(argv) > 1 else "127.0.0.1"
    port = int(argv[2]) if len(argv) > 2 else 0
    try:
        install()
    except IncompatibleMoto as incompatible:
        print(f"moto_server.py: {incompatible}", file=sys.stderr, flush=True)
        return 2

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import BaseWSGIServer, make_server

    # Many clients connect at once in the concurrency tests; the default backlog of 5 drops them.
    BaseWSGIServer.request_queue_size = 1024

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(host, port, app, threaded=False, request_handler=MotoRequestHandler)
    print(f"MOTO_PORT={server.port}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
