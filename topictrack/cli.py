"""Command-line interface: a thin shell over the library.

Each command parses its options, calls one library function and prints the result.
Errors derived from :class:`~topictrack.errors.TopictrackError` become a one-line
``Error: ...`` message and exit status 1.
"""

from __future__ import annotations

import functools
import logging
import sys

import click

from topictrack import __version__
from topictrack.errors import TopictrackError


def _friendly_errors(func):
    """Turn library errors into ``Error: ...`` on stderr and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except TopictrackError as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TopictrackError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="topictrack")
@click.option("-v", "--verbose", is_flag=True, help="Log progress details to stderr.")
def main(verbose: bool) -> None:
    """Tag themes and tone in earnings-call transcripts and track them quarter over quarter."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


# Commands are added below, one per library entry point.


# ---------------------------------------------------------------- score (scoring many calls)


@main.command("score")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), metavar="FILE.parquet",
              help="Parquet file to write the scored turn table to.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Worker processes (default: every core).")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="Cache folder (default: $TOPICTRACK_CACHE_DIR or ~/.cache/topictrack).")
@click.option("--no-cache", is_flag=True, help="Score every file again; read and write no cache.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where files are scored: local processes or a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --engine dask; "
                   "without it a local Dask cluster is started).")
@click.option("--lexicons", type=click.Path(exists=True, file_okay=False), metavar="DIR",
              help="Folder of extra theme lexicons.")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False), metavar="CSV",
              help="CSV path,company,period,date overriding call metadata.")
@click.option("--company", metavar="NAME", help="Company name for every call.")
@click.option("--lm-dictionary", type=click.Path(exists=True, dir_okay=False), metavar="PATH",
              help="Loughran-McDonald dictionary file: adds lm_positive/negative/uncertainty counts.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary line.")
def score_command(paths, output, jobs, cache_dir, no_cache, engine, scheduler, lexicons, manifest,
                  company, lm_dictionary, quiet):
    """Score every call in PATHS (files or folders, searched recursively) into a Parquet table.

    One row per speaker turn with themes, tone and evidence quotes; `topictrack report --from
    FILE.parquet` reports from it without scoring again. Calls already scored with the same
    file, lexicons and model come from the cache. Files that cannot be read are listed on
    stderr and the exit status is 1; every other call is still written.
    """
    from topictrack import pipeline

    if no_cache and cache_dir:
        raise click.UsageError("--cache and --no-cache cannot be combined")
    result = pipeline.run(
        paths, lexicons=lexicons, manifest=manifest, company=company, jobs=jobs,
        cache=False if no_cache else cache_dir, engine=engine, scheduler=scheduler,
        progress=not quiet, lm_dictionary=lm_dictionary, output=output,
    )
    for row in result.failures.itertuples(index=False):
        click.echo(f"Failed: {row.path}: {row.error}", err=True)
    if not quiet:
        click.echo(
            f"Scored {result.n_calls} call(s), {result.n_rows} turn(s) ({result.n_cached} from cache), "
            f"{len(result.failures)} failed -> {output}",
            err=True,
        )
    if not result.ok:
        sys.exit(1)
