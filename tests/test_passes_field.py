"""Checking passes away from the post's laptop: the bulletin, verify without sign-in, stale copies, scans home."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from console.cli import main
from db import connection
from db.errors import RuleError
from db.passes import bulletin as pass_bulletin
from tests.test_passes_cli import cli_post, payload_of, run  # noqa: F401 (cli_post is a fixture)

PIN = "246810"
TZ = "Asia/Shanghai"


@pytest.fixture
def field_post(cli_post, db_path, tmp_path, capsys):
    """Two passes of grid 1, the second revoked; the verify key and a bulletin beside them."""
    db = str(db_path)
    assert run(capsys, "pass", "issue", str(cli_post["甲"]), "--grid", "1", "--db", db)[0] == 0
    assert run(capsys, "pass", "issue", str(cli_post["乙"]), "--grid", "2", "--db", db)[0] == 0
    good, other = payload_of(capsys, db, "1-0001"), payload_of(capsys, db, "2-0001")
    assert run(capsys, "pass", "revoke", "2-0001", "--reason", "遗失", "--db", db)[0] == 0
    public, bulletin = tmp_path / "verify.pem", tmp_path / "bulletin.txt"
    assert run(capsys, "pass", "key", "--export-public", str(public), "--db", db)[0] == 0
    code, _, err = run(capsys, "pass", "bulletin", "--out", str(bulletin), "--db", db)
    assert code == 0 and "1 " in err
    return {"db": db, "good": good, "revoked": other, "key": str(public), "bulletin": str(bulletin)}


def later(hours: int) -> str:
    return (
        datetime.fromtimestamp(datetime.now().timestamp() + hours * 3600)
        .astimezone(__import__("zoneinfo").ZoneInfo(TZ))
        .strftime("%Y-%m-%d %H:%M")
    )


def test_the_bulletin_tells_a_key_only_checker_of_revocations(field_post, capsys):
    f = field_post
    offline = ("--key", f["key"], "--bulletin", f["bulletin"])
    assert run(capsys, "pass", "verify", f["revoked"], "--at", "2", "--key", f["key"])[:2] == (0, "VALID\n")
    assert run(capsys, "pass", "verify", f["revoked"], "--at", "2", *offline)[:2] == (1, "REVOKED\n")
    assert run(capsys, "pass", "verify", f["good"], "--at", "1", *offline)[:2] == (0, "VALID\n")
    assert run(capsys, "pass", "verify", f["good"], "--at", "2", *offline)[:2] == (1, "CROSS_GRID\n")


def test_an_old_bulletin_says_stale_never_valid(field_post, capsys):
    f = field_post
    offline = ("--key", f["key"], "--bulletin", f["bulletin"])
    code, out, err = run(capsys, "pass", "verify", f["good"], "--at", "1", *offline, "--now", later(13))
    assert (code, out) == (1, "STALE\n") and "12" in err
    assert run(capsys, "pass", "verify", f["good"], "--at", "1", *offline, "--now", later(11))[:2] == (
        0,
        "VALID\n",
    )
    # What is refused for its own sake stays refused: a stale bulletin changes only VALID.
    assert (
        run(capsys, "pass", "verify", f["revoked"], "--at", "2", *offline, "--now", later(13))[1]
        == "REVOKED\n"
    )


def test_an_altered_forged_or_foreign_bulletin_is_refused_in_one_line(field_post, tmp_path, capsys):
    f = field_post
    text = Path(f["bulletin"]).read_text().strip()
    flipped = text[:20] + ("A" if text[20] != "A" else "B") + text[21:]
    foreign = pass_bulletin.encode({"2-0001": 1}, 2_000_000_000, Ed25519PrivateKey.generate())
    for name, bad in (("altered", flipped), ("foreign", foreign), ("cut", text[:60]), ("junk", "hello")):
        path = tmp_path / f"{name}.txt"
        path.write_text(bad)
        code, out, err = run(capsys, "pass", "verify", f["good"], "--key", f["key"], "--bulletin", str(path))
        assert (code, out) == (1, "") and err.count("\n") == 1 and err.startswith("cmdpost: "), name
    code, _, err = run(
        capsys, "pass", "verify", f["good"], "--key", f["key"], "--bulletin", str(tmp_path / "none")
    )
    assert code == 1 and err.count("\n") == 1
    with pytest.raises(SystemExit) as usage:
        main(
            ["pass", "verify", f["good"], "--key", f["key"], "--bulletin", f["bulletin"], "--now", "tomorrow"]
        )
    assert usage.value.code == 2


def test_verify_with_the_register_needs_no_sign_in(field_post, monkeypatch, capsys):
    f = field_post
    monkeypatch.setenv("CMDPOST_NEW_PIN", PIN)
    assert main(["--db", f["db"], "user", "add", "laoli", "--role", "admin"]) == 0
    monkeypatch.setenv("CMDPOST_PIN", PIN)
    for name, role in (("xiaolin", "operator"), ("laozhang", "supervisor")):
        assert main(["--db", f["db"], "--user", "laoli", "user", "add", name, "--role", role]) == 0
    capsys.readouterr()
    try:
        before = scans(f["db"])
        code, out, err = run(capsys, "pass", "verify", f["good"], "--at", "1", "--db", f["db"])
        assert (code, out) == (0, "VALID\n") and "未记录" in err and "未登录" in err
        code, out, err = run(
            capsys, "--user", "laozhang", "pass", "verify", f["revoked"], "--at", "2", "--db", f["db"]
        )
        assert (code, out) == (1, "REVOKED\n") and "未记录" in err and "laozhang" in err and "遗失" in err
        # Bringing a guard page's scans home is a write: not for nobody, nor for a supervisor.
        export = f["db"] + ".scans.json"
        with open(export, "w") as file:
            json.dump(
                {
                    "format": "cmdpost-guard-scans-1",
                    "page": "P1",
                    "scans": [
                        {
                            "n": 1,
                            "at": 1_700_000_000,
                            "grid": "1",
                            "verdict": "VALID",
                            "serial": "1-0001",
                            "version": 1,
                        }
                    ],
                },
                file,
            )
        for who in ((), ("--user", "laozhang")):
            code, out, err = run(capsys, *who, "pass", "import-scans", export, "--db", f["db"])
            assert code == 1 and err.count("\n") == 1
        assert scans(f["db"]) == before
        assert scans(f["db"]) == before
        code, out, err = run(
            capsys, "--user", "xiaolin", "pass", "verify", f["good"], "--at", "1", "--db", f["db"]
        )
        assert (code, out) == (0, "VALID\n") and "未记录" not in err
        assert scans(f["db"]) == before + [("VALID", "xiaolin")]
    finally:
        connection.AFTER_OPEN.clear()


def scans(db: str) -> list[tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT verdict, operator FROM pass_scan ORDER BY id").fetchall()
    finally:
        con.close()


def test_a_database_copy_goes_stale_and_the_post_itself_does_not(field_post, tmp_path, capsys):
    f = field_post
    copy = tmp_path / "checkpoint" / "copy.db"
    copy.parent.mkdir()
    shutil.copy(f["db"], copy)  # without the signing key: a checkpoint laptop's copy
    at_copy = ("--db", str(copy), "--key", f["key"], "--at", "1")
    assert run(capsys, "pass", "verify", f["good"], *at_copy)[:2] == (0, "VALID\n")
    code, out, err = run(capsys, "pass", "verify", f["good"], *at_copy, "--now", later(13))
    assert (code, out) == (1, "STALE\n") and "12" in err
    assert scans(str(copy))[-1][0] == "STALE"  # recorded as it was answered
    # The scans recorded on the copy do not make it look fresher.
    assert run(capsys, "pass", "verify", f["good"], *at_copy, "--now", later(13))[1] == "STALE\n"
    assert (
        run(capsys, "pass", "verify", f["good"], "--db", f["db"], "--at", "1", "--now", later(13))[1]
        == "VALID\n"
    )


def test_bulletin_for_a_hundred_revoked_passes_fits_one_qr_code():
    import qrcode

    key = Ed25519PrivateKey.generate()
    revoked = {f"{grid}-{number:04d}": 1 + number % 3 for grid in range(1, 11) for number in range(1, 11)}
    text = pass_bulletin.encode(revoked, 1_700_000_000, key)
    assert len(text) < 1000
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(qrcode.util.QRData(text, mode=qrcode.util.MODE_ALPHA_NUM))
    code.make(fit=True)
    assert code.version <= 20
    back = pass_bulletin.decode(text.lower(), key.public_key())  # Caps Lock reads the same
    assert back.revoked == revoked and back.issued_at == 1_700_000_000


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=400)
    | st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", max_size=400).map(lambda s: "CB1." + s)
)
def test_fuzz_bulletin_text_is_refused_cleanly(text):
    key = Ed25519PrivateKey.generate().public_key()
    with pytest.raises(RuleError):
        pass_bulletin.decode(text, key)


def test_import_scans_is_idempotent_and_all_or_nothing(field_post, tmp_path, capsys):
    f = field_post
    export = {
        "format": "cmdpost-guard-scans-1",
        "page": "AB12CD",
        "guard": "卡口1",
        "scans": [
            {"n": 1, "at": 1_700_000_000, "grid": "1", "verdict": "VALID", "serial": "1-0001", "version": 1},
            {
                "n": 2,
                "at": 1_700_000_060,
                "grid": "1",
                "verdict": "MALFORMED",
                "serial": None,
                "version": None,
            },
            {"n": 3, "at": 1_700_000_120, "grid": "1", "verdict": "STALE", "serial": "1-0001", "version": 1},
        ],
    }
    path = tmp_path / "scans.json"
    path.write_text(json.dumps(export, ensure_ascii=False))
    before = scans(f["db"])
    code, out, _ = run(capsys, "pass", "import-scans", str(path), "--db", f["db"])
    assert code == 0 and "3" in out
    added = scans(f["db"])[len(before) :]
    assert added == [("VALID", "guard:卡口1"), ("MALFORMED", "guard:卡口1"), ("STALE", "guard:卡口1")]
    code, out, _ = run(capsys, "pass", "import-scans", str(path), "--db", f["db"])
    assert code == 0 and scans(f["db"]) == before + added
    export["scans"].append({"n": 4, "at": "yesterday", "grid": "1", "verdict": "VALID"})
    path.write_text(json.dumps(export))
    code, _, err = run(capsys, "pass", "import-scans", str(path), "--db", f["db"])
    assert code == 1 and err.count("\n") == 1 and scans(f["db"]) == before + added


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=20,
    )
)
def test_fuzz_guard_scans_are_refused_cleanly(value):
    from db.passes.field import parse_scans

    try:
        parse_scans(json.dumps(value))
    except RuleError:
        pass


def svg_qr_text(html: str) -> str:
    """Draw the sheet's inline SVG QR code module by module and read it with zxing-cpp."""
    import re

    import zxingcpp
    from PIL import Image, ImageDraw

    size = int(re.search(r"viewBox='0 0 (\d+) \d+'", html).group(1))
    image = Image.new("L", (size * 8, size * 8), 255)
    draw = ImageDraw.Draw(image)
    for x, y in re.findall(r"M(\d+),(\d+)h1v1h-1z", html):
        draw.rectangle((int(x) * 8, int(y) * 8, int(x) * 8 + 7, int(y) * 8 + 7), fill=0)
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)[0].text


def test_the_shift_sheet_carries_the_bulletin(field_post, tmp_path):
    from db.passes import keys as pass_keys

    f = field_post
    out = tmp_path / "roster.html"
    assert main(["roster", "print", "--db", f["db"], "--date", "2022-04-10", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "撤销公告" in html
    read = pass_bulletin.decode(svg_qr_text(html), pass_keys.load_verifier(f["key"]))
    assert read.revoked == {"2-0001": 1}


def cp1_payload(fields, key) -> str:
    """A pass as printed before format 2: no key id, the old signing domain."""
    import base64

    from db.passes import codec

    text = codec.body(fields)
    signature = key.sign(codec.DOMAIN_CP1 + text.encode("ascii"))
    return f"{text}.{base64.b32encode(signature).decode().rstrip('=')}"


def test_passes_carry_a_key_id_and_cp1_passes_keep_verifying():
    from dataclasses import replace

    from db.passes import check, codec

    key, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    fields = codec.PassFields("1", 7, 1, 3, 1_700_000_000, 1_800_000_000)
    new, old = codec.payload(fields, key), cp1_payload(fields, key)
    assert new.startswith(f"CP2.{codec.key_id(key.public_key())}.1-0007.") and old.startswith("CP1.1-0007.")
    assert len(new) <= 145  # still a version 6 QR code (154 characters at level M)
    for payload in (new, old, old.lower()):
        assert (
            check.verify_offline(payload, key.public_key(), now=1_750_000_000, place="1").verdict == "VALID"
        )
        assert check.verify_offline(payload, other.public_key(), now=1_750_000_000).verdict == "FORGED"
    # The key id is signed: a pass cannot be moved to another format or key id.
    moved = new.replace(codec.key_id(key.public_key()), codec.key_id(other.public_key()))
    assert check.verify_offline(moved, other.public_key(), now=1_750_000_000).verdict == "FORGED"
    as_cp1 = "CP1." + new.split(".", 2)[2]
    assert check.verify_offline(as_cp1, key.public_key(), now=1_750_000_000).verdict == "FORGED"
    assert (
        check.verify_offline(
            codec.payload(replace(fields, version=2), other), key.public_key(), now=1_750_000_000
        ).verdict
        == "FORGED"
    )


def test_the_bulletin_and_page_never_write_over_the_post(field_post, capsys):
    f = field_post
    for verb in (("bulletin",), ("guard-page",)):
        for target in (f["db"], f["db"] + ".passkey"):
            code, _, err = run(capsys, "pass", *verb, "--out", target, "--db", f["db"])
            assert code == 1 and err.count("\n") == 1, (verb, target)
    assert run(capsys, "pass", "verify", f["good"], "--at", "1", "--db", f["db"])[:2] == (0, "VALID\n")
