"""Tests aimed at the survivors of the mutation run over db/supply/writes.py (.ci/mutation supply): each one
pins a rule that a mutant broke without any other test noticing."""

from __future__ import annotations
