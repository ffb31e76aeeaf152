"""One module per target of issue 9; each `run(server, args) -> dict`."""
