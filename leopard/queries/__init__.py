"""verb_noun(conn, …) functions per resource; the only place SQL is built."""
