"""Subcommands of the CLI, each importing its heavy dependencies only when it runs."""
