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
