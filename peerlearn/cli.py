"""The ``peerlearn`` command: validate the corpus, reproduce the analysis."""
from __future__ import annotations

import argparse
import sys

from .validation import CorpusError, validate_corpus


def _validate(args) -> int:
    try:
        counts = validate_corpus(args.data_dir)
    except CorpusError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        n = len(e.problems)
        print(f"peerlearn validate: {n} problem{'s' if n != 1 else ''} found", file=sys.stderr)
        return 1
    print(f"corpus valid: {len(counts)} tables, {sum(counts.values())} rows "
          f"({', '.join(f'{k} {v}' for k, v in counts.items())})")
    return 0


def _reproduce(args) -> int:
    from .reproduce import run

    return run(lang=args.lang, data_dir=args.data_dir, jobs=args.jobs)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="peerlearn", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check data/raw against the codebook; one line per problem")
    p.add_argument("--data-dir", help="folder with the corpus CSVs and datapackage.json (default: data/raw)")
    p.set_defaults(func=_validate)
    p = sub.add_parser("reproduce", help="validate the corpus and re-run every notebook headless")
    p.add_argument("--lang", default="nl", choices=["nl", "en"], help="language of labels and figures (default: nl, the report's)")
    p.add_argument("--data-dir", help="another corpus folder; outputs then go to build/<lang>/ instead of the committed tree")
    p.add_argument("--jobs", type=int, metavar="N", help="notebooks run at once, each in its own process (default: one per core)")
    p.set_defaults(func=_reproduce)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("peerlearn: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
