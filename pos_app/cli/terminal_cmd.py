"""Placeholder until its owner lands it."""
import typer

app = typer.Typer(no_args_is_help=True)
