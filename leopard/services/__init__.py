"""Use cases: one transaction → queries → commit → publish."""


def as_actor(query: dict, actor, *names: str) -> dict:
    """A list's query with `me` in the named user filters read as the actor."""
    return {
        key: actor.id if key in names and value == "me" else value
        for key, value in query.items()
    }
