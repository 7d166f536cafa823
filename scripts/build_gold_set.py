"""Build the hand-labelled ClarioScope gold sets from their markup sources, then load each back through the
gold-set loader: ``benchmarks/gold/handwritten_*.txt`` → ``clarioscope_handwritten.jsonl`` (the development
set: its errors have been read) and ``heldout*_*.txt`` → ``clarioscope_heldout*.jsonl`` (held-out sets, each
written later by someone who saw neither the generators nor the other sets, scored after a round of changes
and never read error by error; see docs/benchmarks.md for which have been scored).

Markup: a header line ``### intent=<intent> channel=<channel>`` starts each message; the message is every
line up to the next header; an entity is ``[value]{LABEL}`` or ``[value]{PHI_LABEL,INSURANCE_LABEL}`` (the
brackets are removed). Usage: ``python scripts/build_gold_set.py``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from clarioscope_pipeline.gold import LAYERS, load_gold

GOLD = Path(__file__).resolve().parents[1] / "benchmarks" / "gold"
SETS = {
    "clarioscope_handwritten.jsonl": "handwritten_*.txt",
    "clarioscope_heldout.jsonl": "heldout_*.txt",
    "clarioscope_heldout2.jsonl": "heldout2_*.txt",
    "clarioscope_heldout3.jsonl": "heldout3_*.txt",
}
_HEADER = re.compile(r"^### intent=(\S+) channel=(\S+)\s*$")
_ENTITY = re.compile(r"\[([^\[\]]+)\]\{([A-Z_0-9,]+)\}")


def parse(markup: str) -> dict[str, object]:
    text: list[str] = []
    phi: list[dict[str, object]] = []
    insurance: list[dict[str, object]] = []
    pos, length = 0, 0
    for m in _ENTITY.finditer(markup):
        plain = markup[pos : m.start()]
        text.append(plain)
        length += len(plain)
        for label in m.group(2).split(","):
            layer = phi if label in LAYERS["phi"] else insurance
            layer.append({"start": length, "end": length + len(m.group(1)), "label": label})
        text.append(m.group(1))
        length += len(m.group(1))
        pos = m.end()
    text.append(markup[pos:])
    out = "".join(text)
    if re.search(r"[\[\]{}]", out):
        raise ValueError(f"stray markup left in: {out[:60]!r}")
    return {"text": out, "phi": phi, "insurance": insurance}


def messages(source: Path) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    header: re.Match[str] | None = None
    lines: list[str] = []

    def flush() -> None:
        if header is not None:
            record = parse("\n".join(lines).strip())
            out.append({"id": f"{source.stem}-{len(out) + 1:03d}", "intent": header.group(1),
                        "channel": header.group(2), **record})  # fmt: skip

    for line in source.read_text(encoding="utf-8").splitlines():
        if m := _HEADER.match(line):
            flush()
            header, lines = m, []
        else:
            lines.append(line)
    flush()
    return out


def main() -> int:
    for name, pattern in SETS.items():
        records = [r for source in sorted(GOLD.glob(pattern)) for r in messages(source)]
        if not records:
            continue
        out = GOLD / name
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        print(f"{out.name}: {len(load_gold(out))} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
