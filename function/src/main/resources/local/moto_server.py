"""Runs moto's DynamoDB as a single-threaded server on a free loopback port.

moto's own server handles each request on a thread, and its transactions are not isolated from
each other. One thread makes every request atomic, as each is in DynamoDB. The chosen port is
printed as the first line of output so the caller can connect.
"""
import sys

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server

host = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 0

# Many clients connect at once in the concurrency tests; the default backlog of 5 drops them.
BaseWSGIServer.request_queue_size = 1024

app = DomainDispatcherApplication(create_backend_app)
server = make_server(host, port, app, threaded=False, request_handler=MotoRequestHandler)
print(f"MOTO_PORT={server.port}", flush=True)
server.serve_forever()
