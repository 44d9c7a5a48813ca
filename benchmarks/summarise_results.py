"""Print the paper-systems results under benchmarks/results/ as one Markdown table.

``python benchmarks/summarise_results.py`` reads every
``paper_<system>_<profile>.json`` written by ``paper_systems.py`` and prints
one row per system and profile: the paper's accuracy, ours under the paper's
protocol and ours under the speaker-independent protocol.
"""

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", default=str(HERE / "results"))
    args = parser.parse_args(argv)
    rows = []
    for path in sorted(Path(args.results).glob("paper_*.json")):
        r = json.loads(path.read_text())
        by_kind = {x["protocol_kind"]: x for x in r["results"]}
        paper_acc = r["paper_accuracy"]
        paper = "—" if paper_acc != paper_acc else f"{paper_acc:.3f}"
        cells = []
        for kind in ("paper", "speaker"):
            x = by_kind[kind]
            cells.append(f"{x['accuracy']:.3f} ({x['protocol']})")
        secs = sum(x["wall_seconds"] for x in r["results"])
        rows.append(
            f"| {r['system']} | {r['profile']} | {r['n_files']} | {paper} | "
            f"{cells[0]} | {cells[1]} | {secs:.0f} |"
        )
    print(
        "| system | profile | files | paper | ours, paper's protocol "
        "| ours, speaker-independent | wall s |"
    )
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
