"""cmdpost data layer: models, migrations, queries and the writes that hold the rules.

This package must never import Textual (tests/test_db_layering.py checks it).
"""
