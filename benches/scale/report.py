#!/usr/bin/env python3
"""Medians of the scale benchmarks' RESULT lines, as markdown.

    report.py scale FILE...     S1-S5 per dialect and table count (run.sh)
    report.py graph FILE...     revision-graph operations per dialect (graph.sh)
    report.py doc DOC [--header TEXT] FILE...
                                both, written into DOC between the generated-results markers

A RESULT line is `RESULT key=value ... seconds=S maxrss_kb=K`; keys: tool (outflow, alembic,
client), dialect, scenario (S1..S5) or op, n (tables) or r (revisions), profile.
"""
import re
import statistics
import sys

BEGIN = "<!-- generated results: begin (benches/scale/all.sh) -->"
END = "<!-- generated results: end -->"
SCENARIOS = {
    "S1": "S1 autogenerate against an empty database",
    "S2": "S2 `db check` at head, no change",
    "S3": "S3 autogenerate a small change",
    "S5": "S5 `upgrade heads` creating every table",
}
OPS = ["heads", "history", "upgrade-heads", "build-full", "build-one-more"]


def parse(files):
    runs = []
    for name in files:
        for line in open(name):
            if line.startswith("RESULT "):
                runs.append(dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv))
    return runs


def median(runs, **want):
    found = [r for r in runs if all(r.get(k) == v for k, v in want.items())]
    if not found:
        return None, None
    secs = statistics.median(float(r["seconds"]) for r in found)
    rss = [int(r["maxrss_kb"]) for r in found if r.get("maxrss_kb", "").isdigit()]
    return secs, (max(rss) if rss else None)


def fmt(v, digits=3):
    return "-" if v is None else f"{v:.{digits}f}"


def mib(kb):
    return "-" if kb is None else f"{kb / 1024:.0f}"


def ratio(a, b, suffix="x", digits=0):
    return f"{a / b:.{digits}f}{suffix}" if a and b else "-"


def scale(runs):
    out = []
    found = {r.get("dialect") for r in runs if r.get("scenario")}
    for dialect in [d for d in ["sqlite", "postgresql", "mysql"] if d in found]:
        ns = sorted({int(r["n"]) for r in runs if r.get("dialect") == dialect and "n" in r})
        for n in ns:
            out += [f"**{dialect}, {n:,} tables**", "",
                    "| scenario | Outflow (s) | Alembic (s) | Alembic / Outflow | client (s) | Outflow / client | peak MiB Outflow / Alembic |",
                    "|---|---|---|---|---|---|---|"]
            for s, title in SCENARIOS.items():
                key = dict(dialect=dialect, scenario=s, n=str(n))
                o, orss = median(runs, tool="outflow", **key)
                a, arss = median(runs, tool="alembic", **key)
                c, _ = median(runs, tool="client", **key)
                if o is None and a is None:
                    continue
                out.append(f"| {title} | {fmt(o)} | {fmt(a)} | {ratio(a, o)} | {fmt(c)} | "
                           f"{ratio(o, c, '', 2)} | {mib(orss)} / {mib(arss)} |")
            out.append("")
        if len(ns) > 1:
            lo, hi = ns[0], ns[-1]
            out += [f"**{dialect}, growth from {lo:,} to {hi:,} tables ({hi // lo}x)**", "",
                    "| scenario | Outflow time | Outflow peak memory | Alembic time |",
                    "|---|---|---|---|"]
            for s, title in SCENARIOS.items():
                o1, m1 = median(runs, tool="outflow", dialect=dialect, scenario=s, n=str(lo))
                o2, m2 = median(runs, tool="outflow", dialect=dialect, scenario=s, n=str(hi))
                a1, _ = median(runs, tool="alembic", dialect=dialect, scenario=s, n=str(lo))
                a2, _ = median(runs, tool="alembic", dialect=dialect, scenario=s, n=str(hi))
                if o1 is None or o2 is None:
                    continue
                out.append(f"| {title} | {ratio(o2, o1, 'x', 1)} | {ratio(m2, m1, 'x', 1)} | {ratio(a2, a1, 'x', 1)} |")
            out.append("")
    return out


def graph(runs):
    out = []
    runs = [r for r in runs if r.get("op") in OPS and "r" in r]
    for dialect in ["sqlite", "postgresql", "mysql"]:
        mine = [r for r in runs if r.get("dialect", "sqlite") == dialect or r.get("op", "").startswith("build")]
        if not any(r.get("dialect") == dialect for r in mine):
            continue
        out += [f"**{dialect}**", "",
                "| operation | revisions | profile | Outflow (s) | Alembic (s) | Alembic / Outflow | peak MiB Outflow / Alembic |",
                "|---|---|---|---|---|---|---|"]
        for r_count in sorted({int(r["r"]) for r in mine}):
            for op in OPS:
                for profile in ["release", "dev"]:
                    if op.startswith("build") and dialect != "sqlite":
                        continue
                    o, orss = median(mine, tool="outflow", op=op, r=str(r_count), profile=profile)
                    if o is None:
                        continue
                    # Alembic's heads/history touch no database: its SQLite runs stand for all.
                    a_dialect = dialect if op == "upgrade-heads" else "sqlite"
                    a, arss = median(runs, tool="alembic", op=op, r=str(r_count), dialect=a_dialect)
                    if op.startswith("build"):
                        a = arss = None
                    out.append(f"| `{op}` | {r_count:,} | {profile} | {fmt(o)} | {fmt(a)} | {ratio(a, o)} | {mib(orss)} / {mib(arss)} |")
        out.append("")
    return out


def main():
    kind, rest = sys.argv[1], sys.argv[2:]
    if kind == "scale":
        print("\n".join(scale(parse(rest))))
    elif kind == "graph":
        print("\n".join(graph(parse(rest))))
    elif kind == "doc":
        doc, header = rest[0], ""
        if rest[1:2] == ["--header"]:
            header, rest = rest[2], rest[2:]
        files = rest[1:]
        runs = parse(files)
        body = ([header, ""] if header else []) + ["### Scenarios S1-S5", ""] + scale(runs) + ["### Revision graph (S4)", ""] + graph(runs)
        text = open(doc).read()
        if BEGIN not in text or END not in text:
            sys.exit(f"{doc} has no generated-results markers")
        head, tail = text.split(BEGIN)[0], text.split(END)[1]
        open(doc, "w").write(head + BEGIN + "\n\n" + "\n".join(body).rstrip() + "\n\n" + END + tail)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
