"""Schemathesis hooks of conformance.test.mjs (SCHEMATHESIS_HOOKS points here).

Schemathesis draws Idempotency-Key values from the header's schema, so one run sends the same few
short values ("0", "!", ...) with many different bodies, and the API rightly answers 422
idempotency-key-reused to all but the first (SPEC 11). Each valid key sent is made unique
instead, so every generated request runs as the document describes it; keys the schema rejects
are left as drawn, so the 400 for them is still checked. Replays and 422 are covered by
IdempotencyIT.
"""
import itertools
import re

import schemathesis

VALID_KEY = re.compile(r"[!-~]{1,255}")
SENT = itertools.count(1)


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    headers = case.headers or {}
    for name, value in list(headers.items()):
        if name.lower() == "idempotency-key" and isinstance(value, str) and VALID_KEY.fullmatch(value):
            # A counter, not a random suffix: the same seed sends the same requests every run.
            headers[name] = f"{value[:240]}.{next(SENT)}"
