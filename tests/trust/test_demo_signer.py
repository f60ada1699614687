"""The demo's labelled keys: known by their public halves without reading a key file, and
signing exactly as the key files do once a demo member writes."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

from ictappraise.domain.editlog import Edit
from ictappraise.io import keys
from ictappraise.services import trust
from ictappraise.settings import resource_path


def test_the_public_halves_are_those_of_the_key_files() -> None:
    for member_key, name in trust.DEMO_KEY_FILES.items():
        from_file = keys.signer_from_pem(resource_path("demo", name).read_bytes())
        assert trust.DEMO_PUBLIC_KEYS[member_key] == from_file.public_key


def test_a_demo_signer_signs_with_its_key_file() -> None:
    edit = Edit("e-1", "agency/x/crit/I.1/note", "Đã kiểm tra", "m-1", "dev", "2022-12-14T08:00:00+07:00")
    signed = trust.demo_signer("a").sign_batch([edit])
    assert signed[0].key == trust.DEMO_PUBLIC_KEYS["a"]
    assert keys.verify_batch(signed)
    assert not keys.verify_batch([replace(signed[0], value="Khác")])  # a real signature, not a stamp


def test_knowing_the_demo_keys_loads_no_cipher() -> None:
    code = (
        "import sys\n"
        "from ictappraise.services import trust\n"
        "assert trust.demo_signer('lead').public_key == trust.DEMO_PUBLIC_KEYS['lead']\n"
        "print(any(m.startswith('cryptography') for m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
