"""Helpers for the tests of every app (plain modules, importable without fixtures)."""
