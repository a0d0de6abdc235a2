"""make soak: sustained upserts against `make run`, with its latency and memory over time.

Starts `make run` on a free loopback port, sends 20,000 upserts from 4 concurrent clients over
5,000 contacts of the demo seed's workspace Main (each contact created first, then updated three
times with changing tags and custom values), and prints p50/p99 per tenth of the run, the status
counts and the resident memory of the server processes (the JVM and moto). It stops everything
it started, and exits 1 when a target is missed. A benchmark, not a test.
"""
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter, deque

UPSERTS = 20_000
CONTACTS = 5_000
CLIENTS = 4
WINDOWS = 10
START_TIMEOUT_SECONDS = 600
ACCOUNT_KEY = "sk_test_demoAccountKey0000000000000000000001"
WORKSPACE_MAIN = "6f1c2a9e-3b7d-4c11-9a54-1d2e3f4a5b6c"
LEAD_SOURCES = ["Website", "Referral", "Trade show", "Cold call"]

# The targets of issue 9, as the run checks them.
MAX_P50_GROWTH = 1.5
MAX_RSS_BYTES = 1024**3
MAX_SECONDS = 600


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalApi:
    """`make run` in a process group of its own, so that stopping it stops the JVM and moto."""

    def __init__(self, port):
        self.port = port
        self.process = subprocess.Popen(
            # Thousands of upserts per key: usage plans would throttle them, as they should.
            ["make", "--no-print-directory", "run", f"ARGS=--port {port} --no-rate-limits"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.last_lines = deque(maxlen=30)
        self.listening = threading.Event()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.process.stdout:
            self.last_lines.append(line.rstrip())
            if line.startswith("Listening on"):
                self.listening.set()

    def wait_until_listening(self):
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self.listening.wait(0.5):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("make run did not start:\n" + "\n".join(self.last_lines))

    def processes(self):
        """(pid, command, resident bytes) of every live process of the group but make itself."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            pid = int(entry)
            try:
                if pid == self.process.pid or os.getpgid(pid) != self.process.pid:
                    continue
                with open(f"/proc/{pid}/status") as status:
                    fields = dict(line.split(":", 1) for line in status if ":" in line)
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    command = cmdline.read().split(b"\0")[0].decode(errors="replace")
            except (OSError, ProcessLookupError):
                continue  # ended meanwhile
            rss_kib = int(fields.get("VmRSS", "0 kB").split()[0])
            found.append((pid, os.path.basename(command), rss_kib * 1024))
        return found

    def stop(self):
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # the JVM's shutdown hook stops moto
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # anything left of the group
        except ProcessLookupError:
            pass


def upsert_body(index):
    """Upsert number index: contact index % CONTACTS, in its round index // CONTACTS."""
    contact, round_ = index % CONTACTS, index // CONTACTS
    return json.dumps(
        {
            "workspaceId": WORKSPACE_MAIN,
            "firstName": f"Soak{contact}",
            "lastName": "Contact",
            "email": f"soak{contact}@example.com",
            "phone": f"+1 415 555 {contact:04d}",
            "tags": [f"round-{round_}", f"cohort-{contact % 7}"],
            "customFields": {
                "Lead Source": LEAD_SOURCES[(contact + round_) % len(LEAD_SOURCES)],
                "MRR": (contact * 7 + round_ * 13) % 1000,
            },
        }
    )


def run_clients(port):
    """Sends every upsert in order from CLIENTS connections; returns (index, seconds, status)."""
    next_index = iter(range(UPSERTS))
    take = threading.Lock()
    results, failures = [], []

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Authorization": f"Bearer {ACCOUNT_KEY}", "Content-Type": "application/json"}
        try:
            while True:
                with take:
                    index = next(next_index, None)
                if index is None:
                    return
                body = upsert_body(index)
                started = time.perf_counter()
                connection.request("POST", "/v1/contacts/upsert", body, headers)
                response = connection.getresponse()
                response.read()
                results.append((index, time.perf_counter() - started, response.status))
        except Exception as error:  # noqa: BLE001 - reported after the run
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, failures


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(results, failures, elapsed, processes):
    results.sort()
    size = len(results) // WINDOWS or 1
    windows = [results[i * size : (i + 1) * size] for i in range(WINDOWS)]
    print(f"{'window':>8} {'upserts':>11} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    p50s = []
    for number, window in enumerate(windows, 1):
        if not window:
            continue
        latencies = [seconds * 1000 for _, seconds, _ in window]
        p50s.append(statistics.median(latencies))
        statuses = Counter(status for _, _, status in window)
        print(
            f"{number * 10:>7}% {window[0][0]:>5}-{window[-1][0]:<5} {p50s[-1]:>8.1f} "
            f"{percentile(latencies, 0.99):>8.1f}  {dict(sorted(statuses.items()))}"
        )
    statuses = Counter(status for _, _, status in results)
    errors_5xx = sum(count for status, count in statuses.items() if status >= 500)
    total_rss = sum(rss for _, _, rss in processes)
    print(f"\nstatus counts: {dict(sorted(statuses.items()))}; client errors: {len(failures)}")
    for failure in failures[:5]:
        print(f"  {failure}")
    print("resident memory at the end:")
    for pid, command, rss in processes:
        print(f"  {command:<10} pid {pid:<8} {rss / 2**20:8.1f} MiB")
    print(f"  {'total':<22} {total_rss / 2**20:8.1f} MiB")
    print(f"{len(results)} upserts in {elapsed:.1f} s ({len(results) / elapsed:.1f}/s)\n")

    growth = p50s[-1] / p50s[0] if p50s and p50s[0] else float("inf")
    targets = [
        (f"last window p50 within {MAX_P50_GROWTH}x the first", growth <= MAX_P50_GROWTH,
         f"{growth:.2f}x"),
        ("no 5xx", errors_5xx == 0 and not failures, f"{errors_5xx} 5xx, {len(failures)} errors"),
        ("server processes <= 1 GiB resident", 0 < total_rss <= MAX_RSS_BYTES,
         f"{total_rss / 2**20:.0f} MiB"),
        (f"{UPSERTS} upserts in under {MAX_SECONDS // 60} minutes",
         len(results) == UPSERTS and elapsed < MAX_SECONDS, f"{elapsed:.0f} s"),
    ]
    for name, met, figure in targets:
        print(f"  {'met   ' if met else 'MISSED'} {name}: {figure}")
    return all(met for _, met, _ in targets)


def main():
    # A SIGTERM to this script unwinds through the finally below, which stops the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    api = LocalApi(free_port())
    try:
        api.wait_until_listening()
        print(f"make run listening on port {api.port}; {UPSERTS} upserts, {CLIENTS} clients, "
              f"{CONTACTS} contacts", flush=True)
        peak = [0]
        running = threading.Event()
        running.set()

        def sample_memory():
            while running.is_set():
                peak[0] = max(peak[0], sum(rss for _, _, rss in api.processes()))
                time.sleep(1)  # a sampling interval, not a synchronisation

        sampler = threading.Thread(target=sample_memory, daemon=True)
        sampler.start()
        started = time.monotonic()
        results, failures = run_clients(api.port)
        elapsed = time.monotonic() - started
        running.clear()
        sampler.join()
        print(f"peak resident memory of the server processes: {peak[0] / 2**20:.0f} MiB")
        met = report(results, failures, elapsed, api.processes())
    finally:
        api.stop()
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
