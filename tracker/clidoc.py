"""Generate docs/cli.md from the commands' own --help, so the docs never drift.

    python -m tracker.clidoc > docs/cli.md
"""
from __future__ import annotations

import click

from .cli import cli


def render() -> str:
    parts = ["# Command reference", "", "Generated from `--help` by `python -m tracker.clidoc`.", ""]
    root = click.Context(cli, info_name="tracker", terminal_width=80, max_content_width=80, help_option_names=["-h", "--help"])
    parts += ["## tracker", "", "```", cli.get_help(root), "```", ""]
    for name in sorted(cli.commands):
        cmd = cli.commands[name]
        ctx = click.Context(cmd, info_name=name, parent=root, terminal_width=80, max_content_width=80, help_option_names=["-h", "--help"])
        parts += [f"## tracker {name}", "", "```", cmd.get_help(ctx), "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")
