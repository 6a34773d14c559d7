"""``dossier publish``: write Datasette's metadata for the library (to standard output with
``--out -``) and print the command that serves it read-only. ``desktop/cli.py`` registers it with ``add_publish_command``;
what goes into the metadata is ``desktop.core.publish``'s business.
"""

from __future__ import annotations

import argparse
from typing import Callable


def add_publish_command(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``publish`` to the ``dossier`` parser; returns its handler by name."""
    from desktop.cli_help import command_help

    publish = sub.add_parser("publish", **command_help(
        "publish", "write Datasette's metadata.json to serve the library read-only"))
    publish.add_argument("--out", default="metadata.json", metavar="FILE",
                         help="where to write the metadata (default: metadata.json here; - writes to stdout)")
    publish.add_argument("--title", help="the title Datasette shows (default: the library's name)")
    publish.add_argument("--description", help="the description Datasette shows "
                                               "(default: how many articles, sources and dates)")
    return {"publish": cmd_publish}


def cmd_publish(args: argparse.Namespace) -> int:
    from desktop.cli import open_for_cli
    from desktop.cli_common import STDOUT, new_file_place, say, standard_output
    from desktop.core.publish import publish, publish_to_stream

    to_stdout = args.out == STDOUT
    out = None if to_stdout else new_file_place(args.out)
    with open_for_cli(args) as library:
        if to_stdout:
            with standard_output() as stream:
                done = publish_to_stream(library, stream, title=args.title, description=args.description)
        else:
            done = publish(library, out, title=args.title, description=args.description)
    if to_stdout:  # stdout holds the metadata
        say(f"wrote Datasette's metadata to stdout; save it as FILE and serve the library read-only "
            f"with: {done.command}")
    else:
        print(f"wrote {done.metadata_path}; serve the library read-only with:")
        print(f"  {done.command}")
    if not done.written_back:
        say(f"the library is open elsewhere with changes Datasette would not see (-i reads "
            "the file alone); close Dossier and publish again")
    return 0
