"""Reading untrusted text: a 100,000-line chain message, and a 10 kB payload at the pass checker.

    python -m bench.chain [--runs N]
"""

from __future__ import annotations

import argparse

from bench.coverage import median_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from db.intake.chain import read_chain
    from db.passes import codec as pass_codec

    text = "\n".join(f"{n}. 花厅口村{n}号 {n % 6 + 1}人 138{n:08d}（含1名婴儿）" for n in range(1, 100_001))
    chain_ms = median_ms(lambda: read_chain(text), args.runs)
    junk = "CP1.1-0001.1.4.TOV0G0.TP7Z40." + "A" * 10_000
    assert pass_codec.parse(junk) is None  # refused as MALFORMED before any signature work
    junk_ms = median_ms(lambda: pass_codec.parse(junk), max(args.runs, 20))
    print(f"chain reader: 100,000 lines in {chain_ms:.0f} ms; a 10 kB payload refused in {junk_ms:.2f} ms "
          f"(median of {args.runs})")


if __name__ == "__main__":
    main()
