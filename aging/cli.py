"""Command line: parse options, run the pipeline, write outputs, print a short summary.

Exit status (DESIGN "Trustworthy exits"; `EXIT_STATUS` below, the README and --help say the
same): 0 ok; 1 the run found data it could not reconcile (outputs are still written so the
difference can be examined); 2 unusable input, arguments or output folder — checked before
anything is written where that can be known up front — or an unexpected fault, with one line
on stderr and no traceback (AGING_DEBUG=1 prints it); 3 the outputs were written but a pack
was withheld by the isolation gate or an e-mail failed; 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import sys
import traceback
from pathlib import Path

from tqdm import tqdm

from aging import i18n
from aging.config import config_yaml, load_config
from aging.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNDELIVERED,
    EXIT_UNRECONCILED,
    EXIT_UNUSABLE,
    AgingError,
    ConfigError,
    OutputError,
)
from aging.explain import base_line
from aging.i18n import Money, msg
from aging.outputs import (
    Job,
    Writer,
    check_output_root,
    job_count,
    month_lock,
    reads_inside,
    write_data,
    write_month,
)
from aging.pipeline import Inputs, run

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_LEDGER = ROOT / "sample_data" / "ar_ledger_2026-10.xlsx"
SAMPLE_FX = ROOT / "sample_data" / "fx_rates.csv"
STAGES = ("read", "normalise", "settle", "age", "history", "grade", "behaviour", "plan",
          "changes", "check", "write")  # fmt: skip
EXIT_STATUS = f"""exit status:
  {EXIT_OK}    outputs written and reconciled to the cent
  {EXIT_UNRECONCILED}    outputs written, but a difference no named class explains (see the
       Reconciliation sheet)
  {EXIT_UNUSABLE}    nothing written: unusable input, arguments or output folder (checked
       before anything is written where it can be), or an unexpected fault; one line
       on stderr (AGING_DEBUG=1 prints the traceback)
  {EXIT_UNDELIVERED}    outputs written, but a pack was withheld by the isolation gate or an
       e-mail failed (1 wins when both apply)
  {EXIT_INTERRUPTED}  interrupted (Ctrl-C); the month is not replaced by a partial run"""


def build_parser(lang: str = "en") -> argparse.ArgumentParser:
    """The options; their help in `lang` (the English texts are the catalogue's msgids,
    msgctxt "cli")."""

    def t(source: str) -> str:
        return i18n.gettext(source, lang, "cli")

    p = argparse.ArgumentParser(
        prog="run_reports.py",
        add_help=False,
        description=t(
            "Age an accounts-receivable ledger exported from the ERP, grade its risk, "
            "reconcile it to the cent and write the month-end close pack. With no arguments it "
            "runs the bundled sample data."
        ),
        epilog=t(EXIT_STATUS),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("-h", "--help", action="help", help=t("show this help message and exit"))
    p.add_argument(
        "--ledger",
        action="append",
        type=Path,
        metavar="FILE",
        help=t(
            "ledger export (.xlsx .xlsm .xls .ods .csv .parquet); repeat for several files. "
            "Customers, contacts and FX sheets in the same workbook are found too."
        ),
    )
    p.add_argument(
        "--customers",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help=t("customer master, when it is a separate file"),
    )
    p.add_argument(
        "--contacts",
        action="append",
        type=Path,
        default=[],
        metavar="FILE|DIR",
        help=t("contact log file, or a folder of them"),
    )
    p.add_argument(
        "--fx",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help=t("FX rates table (currency, rate to the base currency)"),
    )
    p.add_argument(
        "--as-of",
        metavar="DATE",
        help=t(
            "as-of date, YYYY-MM-DD (default: the report date in the export's title "
            "rows, else the last document date rounded to its month end)"
        ),
    )
    p.add_argument(
        "--config", type=Path, metavar="FILE", help=t("YAML config (see --print-config)")
    )
    p.add_argument(
        "--print-config",
        action="store_true",
        help=t("print the effective config with every default, then exit"),
    )
    p.add_argument(
        "--out",
        type=Path,
        default=ROOT / "output",
        metavar="DIR",
        help=t("output root; the run writes DIR/<as_of>/ (default: output/)"),
    )
    p.add_argument("--lang", choices=i18n.LANGS, help=t("language of the reports (default: en)"))
    p.add_argument(
        "--only",
        choices=tuple(PARTS),
        help=t(
            "write only this part: close (workbook, data, charts), packs (manager packs and "
            "their e-mails in outbox/) or letters; the rest of an existing month is kept"
        ),
    )
    p.add_argument(
        "--send",
        action="store_true",
        help=t(
            "e-mail each manager their pack over SMTP (mail: in the config; password from the "
            "environment variable mail.password_env); what went is logged and not sent twice"
        ),
    )
    p.add_argument(
        "--resend", action="store_true", help=t("with --send: send again what already went")
    )
    p.add_argument("--parquet", action="store_true", help=t("also write data/*.parquet"))
    p.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help=t("write the outputs in N processes (default: output.jobs, 0 = one per core)"),
    )
    p.add_argument(
        "--history",
        metavar="PATH|URL",
        help=t(
            "history store: an SQLite file (default: history.sqlite in the output root) or a "
            "PostgreSQL URL (postgresql://user@host/db) a team shares; every run records its "
            "month-end there"
        ),
    )
    p.add_argument(
        "--force",
        action="store_true",
        help=t(
            "replace an existing <as_of> folder (it is kept beside the new one as "
            "<as_of>.replaced-<date>T<time>), and that month's snapshot in the history"
        ),
    )
    p.add_argument("--quiet", action="store_true", help=t("no progress bar or summary"))
    p.add_argument(
        "--explain",
        action="store_true",
        help=t(
            "print how each input was read (header -> field and how it matched, headers left "
            "unused, totals and layout rows, the base currency and its evidence), then stop "
            "without writing anything"
        ),
    )
    return p


# The language errors are said in: --lang, then the config's once it is read.
LANG = ["en"]


def main(argv: list[str] | None = None) -> int:
    LANG[0] = _lang_asked(sys.argv[1:] if argv is None else argv)
    with _argparse_says(LANG[0]):
        args = build_parser(LANG[0]).parse_args(argv)
    state = {"phase": "read"}
    try:
        return _main(args, state)
    except AgingError as exc:
        message = exc.render(LANG[0])
        print(i18n.text("console.error", LANG[0], message=message), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        what = i18n.text(INTERRUPTED[state["phase"]], LANG[0])
        print(i18n.text("console.interrupted", LANG[0], what=what), file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # a fault of ours: one line, the traceback only when asked
        if os.environ.get("AGING_DEBUG"):
            traceback.print_exc()
        fault = f"{type(exc).__name__}: {exc}"
        print(i18n.text(FAULT[state["phase"]], LANG[0], fault=fault), file=sys.stderr)
        return EXIT_UNUSABLE
    finally:
        NOTES.clear()


def _lang_asked(argv: list[str]) -> str:
    """The --lang of the command line, before the rest is parsed (its help and its errors
    are said in it)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", choices=i18n.LANGS)
    try:
        known, _ = early.parse_known_args(argv)
    except SystemExit:  # a bad --lang: the full parser says so
        return "en"
    return known.lang or "en"


@contextlib.contextmanager
def _argparse_says(lang: str):
    """argparse's own words ("usage:", "options", its error messages) come through its
    module's gettext functions: in another language, from our catalogue (msgctxt
    "argparse"), so a Chinese user's --help and argument errors are Chinese."""
    if lang == i18n.SOURCE_LANG:
        yield
        return
    saved = argparse._, argparse.ngettext
    argparse._ = functools.partial(i18n.gettext, lang=lang, context="argparse")

    def plural(singular: str, plural: str, n: int) -> str:
        return i18n.gettext(singular if n == 1 else plural, lang, "argparse")

    argparse.ngettext = plural
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


# What an interrupted run leaves, by the phase it was in.
INTERRUPTED = {
    "read": "console.interrupted_read",
    "writ": "console.interrupted_write",
    "send": "console.interrupted_send",
}
FAULT = {"read": "console.fault", "writ": "console.fault_writing", "send": "console.fault_sending"}


def _main(args, state: dict) -> int:
    overrides = {}
    if args.lang:
        overrides["output.lang"] = args.lang
    if args.parquet:
        overrides["output.parquet"] = True
    if args.jobs is not None:
        overrides["output.jobs"] = args.jobs
    config = load_config(args.config, overrides)
    LANG[0] = config.output.lang
    if args.print_config:
        print(config_yaml(config), end="")
        return 0
    if args.resend and not args.send:
        raise ConfigError("error.resend_without_send")
    inputs = _inputs(args)
    if args.explain:
        from aging import explain
        from aging.pipeline import read

        shown = functools.partial(_shown_name, inputs)
        print("\n".join(explain.lines(read(inputs, config), shown, config.output.lang)))
        return 0
    # Knowable before anything is written: where the outputs go, and whether mail can go.
    check_output_root(args.out)
    if args.send:
        from aging.mail import check_sending

        check_sending(config)
    bar = tqdm(
        total=len(STAGES),
        disable=args.quiet or not sys.stderr.isatty(),
        bar_format="{desc:<10} {bar} {n_fmt}/{total_fmt} {elapsed}",
        file=sys.stderr,
    )

    def progress(stage: str) -> None:
        bar.set_description_str(i18n.text(f"stage.{stage}", config.output.lang))
        bar.update(1)

    with bar:
        result = run(inputs, config, progress)
        progress("write")
        state["phase"] = "writ"
        parts = [args.only] if args.only else list(PARTS)
        writers = [w for part in parts for w in PARTS[part]()]
        month = args.out / result.as_of.isoformat()
        # Re-running a month to read the packs returned in it is replacing it on purpose.
        force = args.force or reads_inside(month, inputs.contacts)
        with month_lock(args.out, month.name):  # held through sending too
            record = _history_check(inputs.history, result, args, force)
            written = write_month(
                result,
                args.out,
                force=args.force or bool(args.only),
                writers=writers,
                replace_parts=parts if args.only else None,
                jobs=job_count(config.output.jobs),
                inputs=(*inputs.ledger, *inputs.customers, *inputs.contacts, *inputs.fx),
                returned=inputs.contacts,
            )
            if record:
                _record_history(inputs.history, result, replace=force)
            bar.close()
            lang = config.output.lang
            if not args.quiet:
                _summary(result, written.folder)
                for note in NOTES:
                    print(i18n.render(note, lang))
            delivered = _report_written(written, args.quiet, lang)
            if args.send:
                state["phase"] = "send"
                delivered = _send(result, config, written.folder, args) and delivered
    if not result.reconciled:
        return EXIT_UNRECONCILED
    return EXIT_OK if delivered else EXIT_UNDELIVERED


def _history_check(location: str, result, args, force: bool) -> bool:
    """Whether to record this run's snapshot: a month already in the store is replaced only
    with --force (stop before writing anything); --only rewrites outputs and leaves it.
    `force`: --force, or a run reading returned packs from the month it rewrites."""
    from aging.history.store import Store, shown

    if (args.out / result.as_of.isoformat()).exists() and not (force or args.only):
        return False  # write_outputs refuses the month with its own message
    store = Store(location)
    try:
        recorded = result.as_of in store.recorded(result.config.history.entity)
    finally:
        store.close()
    if not recorded or force:
        return True
    if args.only:
        return False
    raise OutputError(
        "error.history_already_holds",
        store=shown(location),
        as_of=result.as_of.isoformat(),
        entity=repr(result.config.history.entity),
    )


def _record_history(location: str, result, *, replace: bool) -> None:
    from aging.history.store import Store, snapshot_of

    store = Store(location)
    try:
        store.save(snapshot_of(result, result.config.history.entity), replace=replace)
    finally:
        store.close()


def _send(result, config, folder: Path, args) -> bool:
    """Send the month's outbox; whether every message went (or had gone before)."""
    from aging.mail import read_outbox, send

    report = send(
        read_outbox(folder / "outbox"), config, args.out / config.mail.send_log, force=args.resend
    )
    print("\n".join(report.lines()), file=sys.stderr if report.failed else sys.stdout)
    return not report.failed


def _report_written(written, quiet: bool, lang: str) -> bool:
    """What the writing kept, replaced, removed or withheld; whether every pack was kept.
    A withheld pack is said even with --quiet (on stderr): it changes the exit status."""
    lines = []
    if written.kept:
        lines.append(i18n.text("console.kept_inputs", lang, parts=", ".join(written.kept)))
    if written.backup is not None:
        lines.append(i18n.text("console.backup", lang, folder=_label(written.backup)))
    if written.removed:
        size = f"{sum(b for _, b in written.removed) / 1e6:,.1f}"
        lines.append(i18n.text("console.removed_stale", lang, count=str(len(written.removed)),
                               size=size))  # fmt: skip
    if not quiet and lines:
        print("\n".join(lines))
    for pack in written.withheld:
        what = msg("console.leak_id" if pack["what"] == "id" else "console.leak_name")
        print(i18n.text("console.withheld", lang, pack=pack["pack"], where=pack["where"],
                        part=pack["part"], what=what, value=pack["value"],
                        customer=pack["customer_id"]), file=sys.stderr)  # fmt: skip
    return not written.withheld


def _close_writers() -> list:
    from aging.charts import write_charts
    from aging.render_close import write_close_workbook
    from aging.render_pack import workbook_weight

    def close_jobs(result, folder: Path) -> list[Job]:
        path = folder / f"AR_Close_{result.as_of.isoformat()}.xlsx"
        return [
            Job("close workbook", functools.partial(write_close_workbook, result, path),
                weight=2 * workbook_weight(len(result.open_items), len(result.customers))),
            Job("data", functools.partial(write_data, result, folder),
                weight=5e-6 * len(result.open_items)),
            Job("charts", functools.partial(write_charts, result, folder), weight=1.5),
        ]  # fmt: skip

    def font_note(result, folder: Path, outcomes: list) -> None:
        charts = outcomes[-1]
        if not charts.cjk:
            NOTES.append(msg("console.no_cjk_font"))

    return [Writer(close_jobs, font_note, part="close")]


def _pack_writers() -> list:
    from aging.mail import build_messages, unmailable, write_outbox
    from aging.render_pack import pack_jobs

    def mail_packs(result, folder: Path, outcomes: list) -> dict:
        kept = [o for o in outcomes if o.withheld is None]  # a withheld pack is not mailed
        packs = {o.group: o.path for o in kept}
        letters = {o.group: o.letters for o in kept}
        messages = build_messages(result, packs, result.config, result.manager_emails, letters)
        write_outbox(messages, folder / "outbox")
        withheld = {"withheld": [o.withheld for o in outcomes if o.withheld is not None]}
        if not result.customers["manager"].fillna("").ne("").any():
            return withheld  # no customer master with managers: nobody to e-mail
        for manager, why in unmailable(result, packs, result.config, result.manager_emails):
            NOTES.append(msg("console.not_emailed", why=why,
                             manager=manager or msg("console.no_manager")))  # fmt: skip
        return withheld

    return [Writer(pack_jobs, mail_packs, part="packs")]


def _letter_writers() -> list:
    from aging.letters import finish_letters, letter_jobs, letter_notes

    def finish(result, folder: Path, outcomes: list) -> None:
        finish_letters(result, folder, outcomes)
        NOTES.extend(letter_notes(result))

    return [Writer(letter_jobs, finish, part="letters")]


# Things the writers want the user told at the end of the run (unless --quiet).
NOTES: list[str] = []

# The parts of a month's outputs, each with the folders it owns (for --only).
PARTS = {"close": _close_writers, "packs": _pack_writers, "letters": _letter_writers}


def _inputs(args) -> Inputs:
    ledger = args.ledger or [SAMPLE_LEDGER]
    fx = args.fx or ([SAMPLE_FX] if not args.ledger else [])
    as_of = None
    if args.as_of:
        import pandas as pd

        from aging.parse import clean_date_text, parse_dates

        parsed, bad = parse_dates(clean_date_text(pd.Series([args.as_of])), None)
        if bad.iloc[0] or parsed.isna().iloc[0]:
            raise ConfigError("error.as_of_not_a_date", value=repr(args.as_of))
        as_of = parsed.iloc[0].date()
    paths = [*ledger, *args.customers, *args.contacts, *fx]
    labels = {str(p): _label(p) for p in paths}
    return Inputs(
        ledger=tuple(ledger),
        customers=tuple(args.customers),
        contacts=tuple(args.contacts),
        fx=tuple(fx),
        as_of=as_of,
        labels=labels,
        history=args.history or str(args.out / "history.sqlite"),
    )


def _label(path: Path) -> str:
    """Show a path relative to the working folder when it lies under it, else in full."""
    full = Path(path).resolve()
    try:
        return str(full.relative_to(Path.cwd()))
    except ValueError:
        return str(full)


def _shown_name(inputs, path) -> str:
    return inputs.labels.get(str(path), str(path))


def _summary(result, folder: Path) -> None:
    s, lang = result.summary, result.config.output.lang
    base = result.base_currency
    dec = result.currency_decimals[base]

    def money(minor: int) -> Money:
        return Money(int(minor), base, dec)

    grades = i18n.template("text.list_sep", lang).join(
        i18n.text("console.grade_count", lang, grade=msg(f"grade.{k}"), count=v)
        for k, v in s["customers_by_grade"].items() if v
    )  # fmt: skip
    status = (
        msg("console.reconciled")
        if result.reconciled
        else msg("console.not_reconciled", sheet=i18n.sheet_name("reconciliation", lang))
    )
    lines = [
        i18n.text("console.head", lang, as_of=s["as_of"], rows=s["ledger_rows"],
                  items=s["open_items"], customers=s["customers"]),
        i18n.text("console.totals", lang, open=money(s["total_open_base_minor"]),
                  overdue=money(s["overdue_base_minor"]),
                  share=i18n.percent(s["overdue_share"], lang),
                  provision=money(s["provision_base_minor"])),
        i18n.text("console.grades", lang, grades=grades),
        i18n.text("console.checks", lang, exceptions=s["exceptions"], warnings=s["warnings"],
                  status=status),
        base_line(result.base_evidence, lang),
        _history_line(result, lang),
        i18n.text("console.outputs", lang, folder=_label(folder)),
    ]  # fmt: skip
    print("\n".join(lines))


def _history_line(result, lang: str) -> str:
    history, dso = result.history, result.summary.get("dso_days")
    if not history.source or dso is None:
        return i18n.text("console.history_none", lang)
    source = i18n.text(f"text.source_{history.source}", lang)
    return i18n.text("console.history", lang, months=history.months, source=source,
                     dso=f"{dso:.1f}")  # fmt: skip
