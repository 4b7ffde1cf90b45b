"""The bench's summary: each figure's median over the rounds with its spread (min–max), printed
as a table and saved as JSON and a PNG."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

CONCURRENCY = (1, 10, 50)
PATHS = ("full", "default", "bare")  # the configurations that carry the whole load


def stats(values: list[float]) -> dict:
    return {
        "median": round(statistics.median(values), 1),
        "min": round(min(values), 1),
        "max": round(max(values), 1),
        "n": len(values),
    }


def _at(rounds: list[dict], residents: int, key: str) -> list[float]:
    return [next(r[key] for r in m["closed"] if r["residents"] == residents) for m in rounds]


def summarize(measured: dict[str, list[dict]], training: dict | None) -> dict:
    full, default, bare = measured["full"], measured["default"], measured["bare"]
    summary: dict = {"rounds": len(full), "closed": {}, "rss_mb": {}}
    for name, rounds in measured.items():
        summary["closed"][name] = {
            str(c): {key: stats(_at(rounds, c, key)) for key in ("msgs_per_s", "p50_ms", "p99_ms")} for c in CONCURRENCY
        }
        summary["rss_mb"][name] = {key: stats([m["rss_mb"][key] for m in rounds]) for key in rounds[0]["rss_mb"]}
    pairs = list(zip(_at(full, 1, "p50_ms"), _at(bare, 1, "p50_ms"), strict=True))
    summary["own_cost_ms"] = stats([f - b for f, b in pairs])
    top = CONCURRENCY[-1]
    for name, reference in (("vs_default", default), ("vs_bare", bare)):
        ratios = [f / r for f, r in zip(_at(full, top, "msgs_per_s"), _at(reference, top, "msgs_per_s"), strict=True)]
        summary[f"throughput_ratio_{name}"] = {
            k: round(v / 100, 2) if k != "n" else v for k, v in stats([100 * r for r in ratios]).items()
        }
    summary["rate"] = {key: stats([m["rate"][key] for m in full]) for key in ("p50_ms", "p99_ms")}
    summary["parse"] = {
        name: {key: stats([m["parse"][key] for m in measured[name]]) for key in ("p50_ms", "p99_ms")}
        for name in ("bare", "bare without encoder")
    }
    summary["history"] = full[0]["history"]
    summary["long_session"] = full[0]["long_session"]
    summary["edit_to_live_s"] = full[0]["edit_to_live_s"]
    summary["training_s"] = training
    return summary


def _f(s: dict, unit: str = "") -> str:
    return f"{s['median']:g}{unit} ({s['min']:g}–{s['max']:g})"


def report(summary: dict, out_dir: Path) -> None:
    print(f"\nmedians over {summary['rounds']} rounds, (min–max) in brackets")
    print(f"{'':24s}{'residents':>10s}  {'msgs/s':>20s}  {'p50 ms':>22s}  {'p99 ms':>22s}")
    for name in PATHS:
        for c in CONCURRENCY:
            row = summary["closed"][name][str(c)]
            print(
                f"{name:24s}{c:>10d}  {_f(row['msgs_per_s']):>20s}  {_f(row['p50_ms']):>22s}  {_f(row['p99_ms']):>22s}"
            )
    print(
        f"throughput at {CONCURRENCY[-1]} residents, legalbot / same bot under Rasa's defaults: "
        f"{_f(summary['throughput_ratio_vs_default'])} (target >= 1.5); / bare server: "
        f"{_f(summary['throughput_ratio_vs_bare'])}"
    )
    print(
        f"legalbot's own cost per message (one resident, p50 full path - p50 bare server): "
        f"{_f(summary['own_cost_ms'], ' ms')} (target <= 20 ms)"
    )
    print(
        f"constant {20} msgs/s: p50 {_f(summary['rate']['p50_ms'], ' ms')}, p99 {_f(summary['rate']['p99_ms'], ' ms')} "
        "(target p99 <= 300 ms)"
    )
    for name, label in (("bare", "with the encoder"), ("bare without encoder", "without the encoder")):
        parse = summary["parse"][name]
        print(f"NLU parse alone, {label}: p50 {_f(parse['p50_ms'], ' ms')}, p99 {_f(parse['p99_ms'], ' ms')}")
    for history in (summary["history"], summary["long_session"]):
        print(
            f"one resident, {history['sessions']} session(s) of {history['per_session']} messages: p50 "
            f"{history['first_p50_ms']:.0f} ms over the first {history['window']} messages, "
            f"{history['last_p50_ms']:.0f} ms over the last {history['window']}"
        )
    for name, sizes in summary["rss_mb"].items():
        print(f"resident set size (MB), {name}: " + "; ".join(f"{k} {_f(v)}" for k, v in sizes.items()))
    training = summary["training_s"]
    if training:
        print("training (s): " + ", ".join(f"{k} {v}" for k, v in training.items()) + " (target warm <= 300 s)")
    print(f"edited answer live after {summary['edit_to_live_s']} s")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "bench.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    plot(summary, out_dir / "bench.png")
    print(f"saved {out_dir / 'bench.json'} and {out_dir / 'bench.png'}")


def plot(summary: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    for name, color in zip(PATHS, ("C0", "C2", "C1"), strict=True):
        rows = [summary["closed"][name][str(c)] for c in CONCURRENCY]
        for axis, key, label in ((left, "msgs_per_s", name), (right, "p99_ms", f"{name} p99")):
            medians = [r[key]["median"] for r in rows]
            spread = [
                [m - r[key]["min"] for m, r in zip(medians, rows, strict=True)],
                [r[key]["max"] - m for m, r in zip(medians, rows, strict=True)],
            ]
            axis.errorbar(CONCURRENCY, medians, yerr=spread, marker="o", color=color, capsize=3, label=label)
    left.set(xlabel="concurrent residents", ylabel="messages per second", title="throughput (median, min–max)")
    right.set(xlabel="concurrent residents", ylabel="ms", title="p99 latency (median, min–max)", yscale="log")
    left.legend()
    right.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
