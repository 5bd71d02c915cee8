"""Reading a key file never changes it, and only a regular file is read (issue 13, item 4)."""

from __future__ import annotations

import os
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.cli import main
from db.passes import keys as pass_keys
from db.passes.keys import PassKeyError

PAYLOAD = "CP1.1-0001.1.1.20220410.20220417.xxxx"


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_file_that_is_not_a_key_keeps_its_mode(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a key")
    notes.chmod(0o644)
    with pytest.raises(PassKeyError) as err:
        pass_keys.load_verifier(notes)
    assert err.value.key == "passes.key_bad"
    assert _mode(notes) == 0o644


def test_reading_a_loose_private_key_does_not_change_it(post_db, db_path, tmp_path):
    key = pass_keys.signing_key(db_path)
    path = pass_keys.key_path(db_path)
    path.chmod(0o644)
    before = path.read_bytes()
    assert pass_keys.load_verifier(path).public_bytes_raw() == key.public_key().public_bytes_raw()
    pass_keys.post_verifier(db_path)
    pass_keys.signing_key(db_path)
    assert _mode(path) == 0o644 and path.read_bytes() == before


@pytest.mark.parametrize("special", ["/dev/null", "folder", "fifo"])
def test_a_non_regular_file_is_refused_in_one_line(tmp_path, capsys, special):
    if special == "/dev/null":
        path, mode = "/dev/null", _mode("/dev/null")
    elif special == "folder":
        path = str(tmp_path)
        mode = _mode(path)
    else:
        path = str(tmp_path / "pipe")
        os.mkfifo(path, 0o644)  # nobody writes to it: reading it would wait for ever
        mode = _mode(path)
    code = main(["pass", "verify", PAYLOAD, "--key", path])
    out = capsys.readouterr()
    assert code == 1 and out.out == ""
    assert out.err.startswith("cmdpost: ") and out.err.count("\n") == 1 and "Traceback" not in out.err
    assert _mode(path) == mode


def test_an_oversized_file_is_not_read_to_its_end(tmp_path):
    big = tmp_path / "big.pem"
    big.write_bytes(b"A" * (pass_keys.MAX_KEY_BYTES + 10))
    with pytest.raises(PassKeyError, match="key_bad"):
        pass_keys.load_verifier(big)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=600), mode=st.sampled_from([0o600, 0o640, 0o644, 0o666, 0o444]))
def test_fuzz_any_file_content_reads_without_change(tmp_path, content, mode):
    path = tmp_path / "key.pem"
    if path.exists():
        path.chmod(0o600)
    path.write_bytes(content)
    path.chmod(mode)
    try:
        pass_keys.load_verifier(path)
    except PassKeyError:
        pass
    assert _mode(path) == mode and path.read_bytes() == content
