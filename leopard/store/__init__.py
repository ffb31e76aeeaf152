"""Storage: the engine and the embedded server, the migration runner, the
Table mirrors of schema/ and the SQL helpers every query uses."""
