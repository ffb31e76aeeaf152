"""verb_noun(conn, …) functions per resource; the only place SQL is built."""


def like_pattern(text: str) -> str:
    """A substring pattern for ILIKE … ESCAPE '\\' that matches text literally."""
    for char in ("\\", "%", "_"):
        text = text.replace(char, "\\" + char)
    return f"%{text}%"
