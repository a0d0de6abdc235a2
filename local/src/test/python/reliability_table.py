"""Prints the figures of the adversarial suites (local/target/reliability.json) as one table."""
import json
import re
import sys

COLUMNS = [
    ("scenarios", "scenarios run"),
    ("requests", "requests sent"),
    ("faultsInjected", "faults injected"),
    ("inputsTried", "inputs tried"),
    ("invariantViolations", "invariant violations"),
    ("badInput5xx", "5xx from bad input"),
]


def spelled(name):
    """A counter's camelCase name in words: reusedKey422 -> reused key 422."""
    return " ".join(w.lower() if not w.isdigit() else w
                    for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name))


def main(path):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    suites = report["suites"]
    total = {"suite": "total"}
    for key, _ in COLUMNS:
        total[key] = sum(s[key] for s in suites)
    rows = [["suite"] + [title for _, title in COLUMNS]]
    rows += [[s["suite"]] + [str(s[key]) for key, _ in COLUMNS] for s in suites + [total]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        return "| " + " | ".join(cells) + " |"

    print(f"Reliability suites at scale {report['scale']}:")
    print(line(rows[0]))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows[1:]:
        print(line(row))
    counters = [(s["suite"], name, value)
                for s in suites for name, value in s.get("counters", {}).items()]
    if counters:
        print()
        print("Counters of their own:")
        for suite, name, value in counters:
            print(f"- {suite}: {spelled(name)} {value}")
    if total["invariantViolations"] or total["badInput5xx"]:
        print("FAILED: invariant violations and 5xx from bad input must both be 0")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "local/target/reliability.json"))
