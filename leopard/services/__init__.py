"""Use cases: one transaction → queries → commit → publish."""
