"""Helpers shared by every layer of the tests (no tests here)."""
