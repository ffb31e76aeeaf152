"""Reading /metrics in the tests: every sample by name and labels."""

from prometheus_client.parser import text_string_to_metric_families


def parse(text: str) -> dict:
    """{(sample name, frozenset of labels): value} of a /metrics answer."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def scrape(client) -> dict:
    """{(sample name, frozenset of labels): value}."""
    resp = await client.get("/metrics")
    assert resp.status == 200
    return parse(await resp.text())


def value(samples, name, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)
