"""Tests aimed at the mutants of db/accounts/operators.py that survived the suite (issue 21).

Each pins a rule a wrong line would break: the PIN hash's cost and format, a lockout that never locks
or never ends, a count that never starts again, a wrong role let in.
"""

from __future__ import annotations

import pytest

from db.accounts import operators as accounts
from tests.conftest import CHEAP_SCRYPT_N

PIN = "246810"
SALT = bytes(range(16))
# scrypt(b"246810", salt=00 01 .. 0f, n=2**14, r=8, p=1, dklen=32), from hashlib directly
KNOWN_DIGEST = "2d428995ded426cdcd9be3fbe3361c078d9b5f22b7ae996faee473568571fcc3"
# the same for "pïn☃246810" (its UTF-8 bytes)
KNOWN_DIGEST_UNICODE = "7ef892f1b31bfe654a23911d74aadda7d417332d855120593f78cb2899d5cc0a"


# -- the hash at its production cost: the suite lowers it elsewhere (tests/conftest.py) ---------------------


@pytest.mark.production_scrypt
def test_production_cost_of_the_pin_hash_is_pinned():
    assert (accounts.SCRYPT_N, accounts.SCRYPT_R, accounts.SCRYPT_P) == (2**14, 8, 1)
    assert accounts.hash_secret(PIN, SALT) == f"scrypt$16384$8$1${SALT.hex()}${KNOWN_DIGEST}"
    assert accounts.hash_secret("pïn☃246810", SALT).endswith(f"${KNOWN_DIGEST_UNICODE}")


@pytest.mark.production_scrypt
def test_a_known_hash_checks_and_nothing_else_does():
    stored = f"scrypt$16384$8$1${SALT.hex()}${KNOWN_DIGEST}"
    assert accounts.secret_matches(PIN, stored)
    assert not accounts.secret_matches("246811", stored)
    assert not accounts.secret_matches(PIN, stored[:-2] + "00")
    # a stored hash that is not one: refused, never an error
    for broken in ("", "scrypt$16384$8$1", f"scrypt$x$8$1${SALT.hex()}${KNOWN_DIGEST}", "scrypt$3$8$1$00$00"):
        assert accounts.secret_matches(PIN, broken) is False


@pytest.mark.production_scrypt
def test_unknown_names_are_checked_against_a_hash_of_the_same_cost():
    # An unknown name must cost as much as a known one, or timing tells which names exist.
    assert accounts._dummy_hash().startswith("scrypt$16384$8$1$")


def test_the_suite_hashes_cheaply_unless_asked(post_db):
    assert accounts.SCRYPT_N == CHEAP_SCRYPT_N
    assert accounts.hash_secret(PIN).startswith(f"scrypt${CHEAP_SCRYPT_N}$8$1$")
