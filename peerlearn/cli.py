"""The ``peerlearn`` command: validate the corpus, audit the published numbers, reproduce the analysis, export the
data, render the walkthrough."""

from __future__ import annotations

import argparse
import sys

from .paths import DEFAULT_LANG, LANGS
from .validation import CorpusError, validate_corpus


def _validate(args) -> int:
    try:
        counts = validate_corpus(args.data_dir)
    except CorpusError as e:
        n = len(e.problems)
        e.report(f"peerlearn validate: {n} problem{'s' if n != 1 else ''} found")
        return 1
    print(
        f"corpus valid: {len(counts)} tables, {sum(counts.values())} rows "
        f"({', '.join(f'{k} {v}' for k, v in counts.items())})"
    )
    return 0


def _audit(args) -> int:
    from .audit import headline, ledger, report_lines
    from .findings import findings, render

    try:
        led = ledger(args.data_dir)
        found = findings(args.data_dir, led)
        head = report_lines(args.data_dir, args.lang, led) if args.format == "text" else headline(args.data_dir, led)
    except CorpusError as e:
        e.report(f"peerlearn audit: the corpus has {len(e.problems)} problem(s); nothing was audited")
        return 1
    if args.format == "text":
        print("\n".join(head) + "\n")
    print(render(found, args.format, args.lang, head if args.format != "text" else None), end="")
    return 0


def _langs(lang: str) -> tuple[str, ...]:
    return LANGS if lang == "all" else (lang,)


def _checkout(args) -> str | None:
    """Why the command cannot run here (it needs a checkout of the repository: notebooks/, data/raw/), or None.
    ``--root PATH`` names the checkout; it is passed on to the notebook kernels as $PEERLEARN_ROOT."""
    import os

    from .paths import ROOT_ENV, checkout_root, is_checkout

    root = getattr(args, "root", None)
    if root is not None:
        if not is_checkout(root):
            return f"{root} is not a checkout of the peerlearn repository (no data/raw/datapackage.json or notebooks/)"
        os.environ[ROOT_ENV] = os.path.abspath(root)
    elif checkout_root() is None:
        return (
            "needs a checkout of the peerlearn repository (notebooks/, data/raw/) and this peerlearn is installed "
            "outside one: run it inside a checkout or name one with --root PATH"
        )
    return None


def _reproduce(args) -> int:
    from .reproduce import run

    return max(
        run(lang=lang, data_dir=args.data_dir, jobs=args.jobs, out=sys.stdout, err=sys.stderr, force=args.force)
        for lang in _langs(args.lang)
    )


def _site(args) -> int:
    from .site import run

    return max(run(lang=lang, stdout=sys.stdout, stderr=sys.stderr) for lang in _langs(args.lang))


def _export(args) -> int:
    from .export import ExportError, export

    try:
        path, count = export(args.format, args.output, data_dir=args.data_dir)
    except CorpusError as e:
        n = len(e.problems)
        print(
            f"peerlearn export: the corpus is invalid ({e.problems[0]}"
            f"{f'; and {n - 1} more' if n > 1 else ''}); run 'peerlearn validate' for every problem",
            file=sys.stderr,
        )
        return 1
    except ExportError as e:
        print(f"peerlearn export: {e}", file=sys.stderr)
        return 1
    unit = "sheets" if args.format == "xlsx" else "entries"
    print(f"wrote {path} ({args.format}, {count} {unit})")
    return 0


def _verify(args) -> int:
    from .verify import run

    return run(jobs=args.jobs, keep=args.keep)


def _walkthrough(args) -> int:
    import os

    from .walkthrough import render

    try:
        path = render(args.hypothesis, lang=args.lang, data_dir=args.data_dir, output=args.output)
    except CorpusError as e:
        e.report(f"peerlearn walkthrough: the corpus has {len(e.problems)} problem(s); nothing was run")
        return 1
    except ValueError as e:
        print(f"peerlearn walkthrough: {e}", file=sys.stderr)
        return 2
    except OSError:
        raise  # one line from main()
    except Exception as e:  # papermill: a failing cell, a kernel that does not start, ...
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        print(f"peerlearn walkthrough: the notebook could not be run ({type(e).__name__}: {first})", file=sys.stderr)
        return 1
    print(f"walkthrough for hypothesis {args.hypothesis} ({args.lang}) written to {os.path.relpath(path)}")
    return 0


def _jobs(text: str) -> int:
    """--jobs: a whole number of at least 1."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a whole number of at least 1")
    return n


class _Stdout:
    """sys.stdout for a command whose reader may stop early (``peerlearn reproduce | head -1``).

    Decision: the work goes on and the exit status is the command's own. When the reader has gone, the rest of the
    output is dropped (stdout then points at /dev/null), but the work is not cut short, so a run is never left half
    done, and a failure still reaches stderr and the exit status."""

    def __init__(self, stream):
        self._stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop()

    def _drop(self) -> None:
        import os

        self.gone = True
        os.dup2(os.open(os.devnull, os.O_WRONLY), self._stream.fileno())  # no second error when Python exits

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _root_option(parser) -> None:
    parser.add_argument(
        "--root",
        metavar="PATH",
        help="the checkout of the repository to work in (default: the one peerlearn is installed from)",
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="peerlearn", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check data/raw against the codebook; one line per problem")
    p.add_argument("--data-dir", help="folder with the corpus CSVs and datapackage.json (default: data/raw)")
    p.set_defaults(func=_validate)
    p = sub.add_parser(
        "audit", help="check every published number against the data; prints a summary and the inconsistencies"
    )
    p.add_argument("--lang", default="en", choices=LANGS, help="language of the explanations (default: en)")
    p.add_argument(
        "--format",
        default="text",
        choices=["text", "md", "csv", "json"],
        help="text: headline, per table and the findings (default); md, csv, json: the findings",
    )
    p.add_argument("--data-dir", help="folder with the corpus CSVs and datapackage.json (default: data/raw)")
    p.set_defaults(func=_audit)
    p = sub.add_parser("reproduce", help="validate the corpus and re-run every notebook headless")
    p.add_argument(
        "--lang",
        default=DEFAULT_LANG,
        choices=[*LANGS, "all"],
        help=f"language of labels, figures and the site (default: {DEFAULT_LANG}, the report's; all: every one)",
    )
    p.add_argument(
        "--data-dir",
        help="another corpus folder; its outputs then go to build/corpora/<name>-<hash>/<lang>/, "
        "never to the committed tree",
    )
    p.add_argument(
        "--jobs",
        type=_jobs,
        metavar="N",
        help="notebooks run at once (at least 1), each in its own process (default: one per core)",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="run every notebook, even those whose inputs and outputs are unchanged since their last run",
    )
    _root_option(p)
    p.set_defaults(func=_reproduce, needs_checkout=True)
    p = sub.add_parser("export", help="write the articles as BibTeX or CSL-JSON, or the whole corpus as one .xlsx")
    p.add_argument("--format", required=True, choices=["bibtex", "csljson", "xlsx"], help="what to write")
    p.add_argument("--output", required=True, help="file to write (its folder must exist; never inside data/raw)")
    p.add_argument("--data-dir", help="folder with the corpus CSVs and datapackage.json (default: data/raw)")
    p.set_defaults(func=_export)
    p = sub.add_parser(
        "walkthrough", help="render the realist-synthesis walkthrough for one hypothesis into build/walkthrough/"
    )
    p.add_argument(
        "--hypothesis",
        type=int,
        default=1,
        help="hypothesis number, as numbered in the corpus's hypotheses "
        "table (default: 1; another number is refused with the valid ones)",
    )
    p.add_argument(
        "--lang",
        default=DEFAULT_LANG,
        choices=LANGS,
        help=f"language of the texts and labels (default: {DEFAULT_LANG})",
    )
    p.add_argument("--data-dir", help="another corpus folder (default: data/raw)")
    p.add_argument(
        "--output",
        help="executed notebook to write, relative to the current folder; never in data/raw or the committed "
        "outputs (default: build/walkthrough/07_..._h<N>_<lang>.ipynb)",
    )
    _root_option(p)
    p.set_defaults(func=_walkthrough, needs_checkout=True)
    p = sub.add_parser(
        "verify",
        help="re-run the analysis into a scratch folder and compare every committed output "
        "by content (tables by value, notebooks as nbval, figures by pixels and text)",
    )
    p.add_argument("--jobs", type=_jobs, metavar="N", help="notebooks run at once (default: one per core)")
    p.add_argument("--keep", action="store_true", help="keep the scratch folder with the re-run outputs")
    _root_option(p)
    p.set_defaults(func=_verify, needs_checkout=True)
    p = sub.add_parser(
        "site", help="rebuild the static site build/site/<lang>/ from the executed notebooks, without re-running them"
    )
    p.add_argument(
        "--lang",
        default=DEFAULT_LANG,
        choices=[*LANGS, "all"],
        help=f"which language's site (default: {DEFAULT_LANG}; all: every one)",
    )
    _root_option(p)
    p.set_defaults(func=_site, needs_checkout=True)
    args = parser.parse_args(argv)
    problem = _checkout(args) if getattr(args, "needs_checkout", False) else None
    if problem:
        print(f"peerlearn {args.command}: {problem}", file=sys.stderr)
        return 2
    from .output import OutputError
    from .reproduce import recover

    stdout = sys.stdout
    sys.stdout = _Stdout(stdout)
    try:
        recover()  # finish the commit of a `peerlearn reproduce` that was killed midway
        return args.func(args)
    except KeyboardInterrupt:
        print("peerlearn: interrupted", file=sys.stderr)
        return 130
    except OutputError as e:  # names the path and what to do
        print(f"peerlearn {args.command}: {e}", file=sys.stderr)
        return 1
    except OSError as e:  # disk full, read-only file system, no permission, ... outside peerlearn.output
        from .output import explain

        print(f"peerlearn {args.command}: {explain(e.filename or '(unknown file)', e)}", file=sys.stderr)
        return 1
    finally:
        sys.stdout.flush()
        sys.stdout = stdout


if __name__ == "__main__":
    sys.exit(main())
