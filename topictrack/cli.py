"""Command-line interface: a thin shell over the library.

Each command parses its options, calls one library function and prints the result.
Errors derived from :class:`~topictrack.errors.TopictrackError` become a one-line
``Error: ...`` message and exit status 1.
"""

from __future__ import annotations

import logging
import sys

import click

from topictrack import __version__, escape, safeio
from topictrack.errors import TopictrackError


def _echo_failures(failures) -> None:
    for row in failures.itertuples(index=False):
        click.echo(escape.terminal(f"Failed: {row.path}: {row.error}"), err=True)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TopictrackError as exc:
            failures = getattr(exc, "failures", None)
            if failures is not None:
                _echo_failures(failures)
            click.echo(escape.terminal(f"Error: {exc}"), err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="topictrack")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
def main(verbose: bool) -> None:
    """Tag themes and tone in earnings-call transcripts and track them quarter over quarter."""
    handler = logging.StreamHandler(sys.stderr)  # file names in messages cannot drive the terminal
    handler.setFormatter(escape.TerminalFormatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])


# Commands are added below, one per library entry point.


# ---------------------------------------------------------------- report, evidence (trends and reports)

REPORT_FORMATS = ("table", "markdown", "json", "csv", "html")


def _emit(text: str, output) -> None:
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    safeio.atomic_write(output, text)  # the whole report or the file as it was
    click.echo(escape.terminal(f"Wrote {output}"), err=True)


_existing_paths = click.argument("paths", nargs=-1, type=click.Path(exists=True))
_company_filter = click.option("--company", "companies", multiple=True, metavar="NAME",
                               help="Only this company: the name the report shows, the name a call "
                                    "states or the ticker its files are named after (case-insensitive; "
                                    "repeat for several).")
_set_company_option = click.option("--set-company", metavar="NAME",
                                   help="Name every call's company NAME, whatever its text says (a "
                                        "--manifest sets it per file).")
_manifest_option = click.option("--manifest", type=click.Path(exists=True, dir_okay=False), metavar="CSV",
                                help="CSV path,company,period,date overriding call metadata.")
_lexicons_option = click.option(
    "--lexicons",
    type=click.Path(exists=True),
    metavar="DIR",
    help="Folder of theme lexicons (*.toml) added to the shipped themes; a same-named theme replaces "
    "the shipped one, and '_settings.toml' with 'replace_defaults = true' replaces them all.",
)
_from_option = click.option("--from", "scored_file", type=click.Path(exists=True, dir_okay=False),
                            metavar="SCORED.parquet",
                            help="Report from a table written by 'topictrack score' instead of scoring.")


_cache_option = click.option("--cache", "cache_dir", type=click.Path(file_okay=False), metavar="DIR",
                             help="Cache folder (default: $TOPICTRACK_CACHE_DIR, else "
                                  "$XDG_CACHE_HOME/topictrack, else ~/.cache/topictrack).")
_no_cache_option = click.option("--no-cache", is_flag=True, help="Score every file again; read and write no cache.")
_quiet_option = click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr.")


def _cache(cache_dir, no_cache):
    """The ``cache`` argument of the library from --cache / --no-cache."""
    if no_cache and cache_dir:
        raise click.UsageError("--cache and --no-cache cannot be combined")
    return False if no_cache else cache_dir


def _check_from(scored_file, paths, set_company, manifest, lexicons) -> None:
    if scored_file is not None and (paths or set_company or manifest or lexicons):
        raise click.UsageError(
            "--from reads an already scored table; it cannot be combined with PATHS, "
            "--set-company, --manifest or --lexicons"
        )


def _scored_input_options(func):
    """The options of a command that reports on scored calls: where they come from and how."""
    for option in reversed((_set_company_option, _manifest_option, _lexicons_option, _from_option,
                            _cache_option, _no_cache_option, _quiet_option)):
        func = option(func)
    return func


@main.command("report")
@_existing_paths
@_company_filter
@click.option("--last", type=click.IntRange(min=1), metavar="N", help="Only each company's N latest periods.")
@click.option("--phrases", type=click.IntRange(min=0), default=5, show_default=True, metavar="N",
              help="New phrases listed per company and period (0: none).")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="table", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout.")
@_scored_input_options
@click.pass_context
def report_command(ctx, paths, companies, last, phrases, fmt, output, set_company, manifest, lexicons,
                   scored_file, cache_dir, no_cache, quiet):
    """Quarter-over-quarter theme trends of the calls in PATHS (default: the bundled sample calls).

    Folders are searched recursively. With calls of several companies, an overview across them
    comes first. Then per company, every period oldest first: each theme's share of sentences and
    tone, and the trend against the period before; the evidence quotes; and the phrases whose use
    rose most against the company's earlier calls. Calls already scored come from the cache.
    """
    from topictrack.report import trend_report

    if output is not None:
        safeio.check_writable_target(output)  # before scoring, not after
    _check_from(scored_file, paths, set_company, manifest, lexicons)
    result = trend_report(paths or None, format=fmt, companies=list(companies), set_company=set_company,
                          manifest=manifest, lexicons=lexicons, scored=scored_file, last=last,
                          phrases=phrases, cache=_cache(cache_dir, no_cache), progress=not quiet)
    _echo_failures(result.failures)
    _emit(result.text, output)
    if len(result.failures):
        ctx.exit(1)


@main.command("evidence")
@click.argument("theme")
@_existing_paths
@click.option("--period", metavar="P", help="Only this period, e.g. 2025Q1.")
@_company_filter
@_scored_input_options
@click.pass_context
def evidence_command(ctx, theme, paths, period, companies, set_company, manifest, lexicons, scored_file,
                     cache_dir, no_cache, quiet):
    """The quotes behind a theme: every counted turn carrying THEME, with speaker, role and period.

    PATHS default to the bundled sample calls.
    """
    from topictrack.report import report_evidence

    _check_from(scored_file, paths, set_company, manifest, lexicons)
    result = report_evidence(theme, paths or None, period=period, companies=list(companies),
                             set_company=set_company, manifest=manifest, lexicons=lexicons,
                             scored=scored_file, cache=_cache(cache_dir, no_cache), progress=not quiet)
    _echo_failures(result.failures)
    click.echo(result.text, nl=False)
    if len(result.failures):
        ctx.exit(1)


@main.command("explain")
@click.argument("text_or_path")
@click.option("--theme", required=True, metavar="T", help="The theme to explain (see 'topictrack themes').")
@_lexicons_option
def explain_command(text_or_path, theme, lexicons):
    """Why THEME is (or is not) found in TEXT_OR_PATH (a sentence, or a text file).

    Prints, per sentence carrying the theme, its confidence and the lexicon terms and classifier
    features that decided it, then the near misses.
    """
    from topictrack.themes import explain_text_or_file

    click.echo(str(explain_text_or_file(text_or_path, theme, lexicons=lexicons)))


# ---------------------------------------------------------------- score (scoring many calls)


@main.command("score")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), metavar="FILE.parquet",
              help="Parquet file to write the scored turn table to.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Worker processes (default: every core).")
@_cache_option
@_no_cache_option
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where files are scored: local processes or a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --engine dask; "
                   "without it a local Dask cluster is started).")
@_lexicons_option
@_manifest_option
@_set_company_option
@click.option("--lm-dictionary", type=click.Path(exists=True), metavar="PATH",
              help="Loughran-McDonald dictionary (master CSV, WordStat .cat file, or a folder of "
                   "per-category word lists): adds lm_positive/negative/uncertainty counts.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line.")
def score_command(paths, output, jobs, cache_dir, no_cache, engine, scheduler, lexicons, manifest,
                  set_company, lm_dictionary, quiet):
    """Score every call in PATHS (files or folders, searched recursively) into a Parquet table.

    One row per speaker turn with themes, tone and evidence quotes; `topictrack report --from
    FILE.parquet` reports from it without scoring again. Calls already scored with the same
    file, lexicons and model come from the cache. Files that cannot be read are listed on
    stderr and the exit status is 1; every other call is still written.
    """
    from topictrack import pipeline

    result = pipeline.run(
        paths, lexicons=lexicons, manifest=manifest, company=set_company, jobs=jobs,
        cache=_cache(cache_dir, no_cache), engine=engine, scheduler=scheduler,
        progress=not quiet, lm_dictionary=lm_dictionary, output=output,
    )
    if result.n_calls == 0 and result.failures.empty:
        raise TopictrackError("no transcript files found in " + ", ".join(paths))
    _echo_failures(result.failures)
    if not quiet:
        click.echo(escape.terminal(
            f"Scored {result.n_calls} call(s), {result.n_rows} turn(s) ({result.n_cached} from cache), "
            f"{len(result.failures)} failed -> {output}"),
            err=True,
        )
    if not result.ok:
        sys.exit(1)


@main.command("sentiment")
@click.argument("text_or_path")
@click.option("--finance-lexicon", type=click.Path(exists=True, dir_okay=False), metavar="TOML",
              help="Your finance sentiment file; extends the shipped one.")
@click.option("--brief", is_flag=True, help="Print only the score and label.")
def sentiment_command(text_or_path, finance_lexicon, brief):
    """Score the tone of TEXT_OR_PATH (a sentence, or a text file) and explain it.

    Prints the score in [-1, 1], the label (positive >= 0.2, negative <= -0.2, else
    neutral) and, per sentence, the finance rules and words that fired with their
    contributions.
    """
    from topictrack.sentiment import explain_text_or_file

    explanation = explain_text_or_file(text_or_path, finance_lexicon=finance_lexicon)
    if brief:
        click.echo(f"{explanation.score:+.3f} {explanation.label}")
    else:
        click.echo(str(explanation))


# ---------------------------------------------------------------- turns (reading transcripts)


def _turns_text(calls) -> str:
    """Human-readable listing: one header line per call, then one line per turn."""
    import pandas as pd

    lines = []
    for call in calls:
        lines.append(escape.terminal(
            f"{call.path}  company={call.company or '-'}  period={call.period or '-'}  "
            f"date={call.date or '-'}  kind={call.kind}  format={call.source_format}  "
            f"turns={len(call.turns)}"
        ))
        for row in call.turns.itertuples(index=False):
            flags = "".join((
                "B" if row.boilerplate else "-",
                "-" if pd.isna(row.duplicate_of) else "D",
                "L" if row.loops_collapsed else "-",
            ))
            speaker = row.speaker if isinstance(row.speaker, str) else "-"
            text = " ".join(str(row.text).split())
            lines.append(f"{row.turn:>4} {flags} {row.section:<8} {row.role:<11} {row.language:<5} "
                         f"{speaker[:22]:<22} {text[:90]}")
        lines.append("")
    lines.append("flags: B boilerplate, D duplicate (interpretation of an earlier turn), L ASR loop collapsed")
    return "\n".join(lines) + "\n"


@main.command("turns")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="table: readable listing; csv/json: every turn with its call's metadata.")
@_set_company_option
@_manifest_option
@click.pass_context
def turns_command(ctx, paths, fmt, set_company, manifest):
    """Read the transcripts in PATHS (files or folders) and print their speaker turns.

    The layout of each file is detected automatically. A single unreadable file is an
    error; with several inputs, unreadable files are listed on stderr and the exit
    status is 1 while the others are still printed.
    """
    from topictrack.transcripts import read_inputs, turns_table

    result = read_inputs(paths, company=set_company, manifest=manifest)
    calls, failures = result.calls, list(result.failures.itertuples(index=False))
    if fmt == "table":
        click.echo(_turns_text(calls), nl=False)
    elif fmt == "csv":
        click.echo(escape.csv_frame(turns_table(calls)).to_csv(index=False), nl=False)
    else:
        click.echo(turns_table(calls).to_json(orient="records", force_ascii=False, indent=1))
    for row in failures:
        click.echo(escape.terminal(f"Failed: {row.error}"), err=True)
    if failures:
        ctx.exit(1)


# ---------------------------------------------------------------- themes, tag, train, suggest (theme tagging)


@main.command("themes")
@_lexicons_option
def themes_command(lexicons):
    """List the themes in use with their description and number of lexicon entries."""
    from topictrack.themes import load_lexicons

    for lex in load_lexicons(lexicons):
        click.echo(
            f"{lex.name:<18} {len(lex.terms):>3} terms {len(lex.patterns):>2} patterns {len(lex.pairs):>2} pairs "
            f"{len(lex.exclude):>2} exclusions  {lex.description}"
        )


@main.command("tag")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@_lexicons_option
@click.option("--evidence", is_flag=True, help="Also print each sentence that carries a theme.")
def tag_command(path, lexicons, evidence):
    """Print each turn of the transcript PATH with the themes its sentences carry.

    A turn's confidence for a theme is its best sentence's; --evidence lists those sentences.
    """
    from topictrack.themes import tag_call

    for turn in tag_call(path, lexicons=lexicons):
        themes = ", ".join(f"{t} {c:.2f}" for t, c in turn.themes.items()) or "-"
        text = " ".join(turn.text.split())
        click.echo(f"{turn.turn:>4} {(turn.speaker or '-')[:20]:<20} [{themes}] {text[:80]}")
        if evidence:
            for theme, confidence, sentence in turn.evidence:
                click.echo(f"       {theme} {confidence:.2f}: {sentence}")


@main.command("train")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@_lexicons_option
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), metavar="MODEL",
              help="Where to write the model (JSON). Save it as DIR/theme_model.json to have "
                   "--lexicons DIR use it.")
def train_command(paths, lexicons, output):
    """Train the theme classifier from the lexicons on the transcripts in PATHS.

    PATHS (files or folders, found as 'score' finds them) default to the bundled calls, which
    reproduces the shipped model. The English sentences of each turn are a context group;
    corpus sentences are labelled by lexicon matches and the lexicons' example sentences are
    added. Same input, same model file.
    """
    from topictrack.themes import train

    model = train(paths or None, lexicons=lexicons, output=output)
    click.echo(f"Wrote {output}: {len(model.classes_)} themes, {len(model.vocabulary_)} features", err=True)


@main.command("suggest")
@click.argument("theme")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@_lexicons_option
@click.option("-n", "--number", default=20, show_default=True, type=click.IntRange(min=1),
              help="How many terms to list.")
@click.option("--new-phrases", "with_new", is_flag=True,
              help="Also score the calls and add each company's new phrases that carry THEME "
                   "(marked 'new in COMPANY PERIOD').")
@_quiet_option
def suggest_command(theme, paths, lexicons, number, with_new, quiet):
    """Candidate new lexicon terms for THEME from the transcripts in PATHS (default: bundled calls).

    Ranks words and word pairs over-represented in the sentences the classifier gives THEME
    that no lexicon entry covers, each with two example sentences. With --new-phrases, the
    phrases a company used far more than in its earlier calls are added when their quote
    carries THEME.
    """
    if with_new:
        from topictrack.phrases import suggest_with_new_phrases

        table = suggest_with_new_phrases(theme, paths or None, lexicons=lexicons, n=number, progress=not quiet)
    else:
        from topictrack.themes import suggest

        table = suggest(theme, paths or None, lexicons=lexicons, n=number)
    if table.empty:
        click.echo(f"no candidate terms for {theme}")
    for row in table.to_dict("records"):
        new_in = f"  new in {row['new_in']}" if row.get("new_in") else ""
        if row["score"] is None or row["score"] != row["score"]:
            click.echo(f"{row['term']}{new_in} ({row['sentences']} sentences)")
        else:
            click.echo(f"{row['term']}  score={row['score']:.3f}  in {row['sentences']} theme sentences, "
                       f"{row['elsewhere']} others{new_in}")
        for example in (row["example_1"], row["example_2"]):
            if isinstance(example, str) and example:
                click.echo(f"    - {example}")


if __name__ == "__main__":  # python -m topictrack.cli
    main()
