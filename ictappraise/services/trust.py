"""Keys and the roster as use cases (docs/rules.md §9): founding, adopting, announcing, admitting.

Founding and upgrading are one act: the lead signs a ``round/founding`` edit naming their
public key and vouching for every edit already in the file (the seed, or the edits written
before signatures existed). From then on ``derive()`` holds what the roster does not trust.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import lru_cache

from ictappraise.domain.editlog import Edit
from ictappraise.domain.fields import FOUNDING_FIELD, adoption_field, member_field
from ictappraise.domain.roles import ROLE_LEAD
from ictappraise.domain.signing import fingerprint, fingerprint_id
from ictappraise.io import keys
from ictappraise.services.errors import ServiceError
from ictappraise.services.workspace import Actor, Change, Workspace
from ictappraise.settings import resource_path
from ictappraise.store import repository

#: The demo team's labelled keys (resources/demo/README.md), by the round file's member key.
DEMO_KEY_FILES = {
    "lead": "demo-lead-key.pem",
    "a": "demo-a-key.pem",
    "b": "demo-b-key.pem",
    "c": "demo-c-key.pem",
}
PASSPHRASE_ENV = "ICTAPPRAISE_KEY_PASSPHRASE"
#: The new passphrase when a script changes it (``identity --passphrase``; empty: remove it).
NEW_PASSPHRASE_ENV = "ICTAPPRAISE_NEW_KEY_PASSPHRASE"
WRONG_PASSPHRASE = "Sai mật khẩu của khóa. Hãy nhập lại (chú ý chữ hoa, chữ thường và bộ gõ tiếng Việt)."

#: Asks the user for a key's passphrase: (fingerprint, owner's name, why asked again or None)
#: → the passphrase, or None when the user cancels. Set by the GUI and the CLI.
PassphrasePrompt = Callable[[str, str, str | None], str | None]
_prompt: PassphrasePrompt | None = None
#: Keys unlocked in this session (memory only, never written anywhere).
_unlocked: dict[str, keys.Signer] = {}


class PassphraseCancelled(ServiceError):
    """The user did not give the passphrase of the key that must sign: nothing is written."""


def set_passphrase_prompt(prompt: PassphrasePrompt | None) -> None:
    """How to ask for a passphrase when an encrypted key must sign (once per session)."""
    global _prompt
    _prompt = prompt


def forget_unlocked() -> None:
    """Drop the keys unlocked in this session (the next signing asks again)."""
    _unlocked.clear()


#: The shortest passphrase a key may get (the GUI and the command line say the same).
MIN_PASSPHRASE = 6
SHORT_PASSPHRASE = f"Mật khẩu mới cần ít nhất {MIN_PASSPHRASE} ký tự."


class LockedSigner:
    """A passphrase-protected local key: asks for the passphrase when it must first sign."""

    def __init__(self, local: keys.LocalKey) -> None:
        self.public_key = local.public_key
        self.name = local.name

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def unlock(self) -> keys.Signer:
        """The key in memory, asking for its passphrase once per session."""
        found = _unlocked.get(self.public_key)
        if found is not None:
            return found
        if _prompt is None:
            raise PassphraseCancelled(
                f"Khóa {self.fingerprint} của {self.name or 'người dùng'} có mật khẩu bảo vệ. Hãy nhập mật "
                f"khẩu (hoặc đặt biến môi trường {PASSPHRASE_ENV} khi chạy lệnh tự động)."
            )
        problem = None
        while True:
            secret = _prompt(self.fingerprint, self.name, problem)
            if secret is None:
                raise PassphraseCancelled("Chưa nhập mật khẩu của khóa nên chưa ký và chưa ghi thay đổi nào.")
            try:
                signer = keys.load_signer(self.public_key, secret)
            except keys.KeyError_:
                problem = WRONG_PASSPHRASE
                continue
            _unlocked[self.public_key] = signer
            return signer

    def sign(self, edit: Edit) -> Edit:
        return self.unlock().sign(edit)

    def sign_batch(self, edits: Sequence[Edit]) -> list[Edit]:
        return self.unlock().sign_batch(edits)

    def __repr__(self) -> str:
        return f"LockedSigner({self.fingerprint})"


def load_local(local: keys.LocalKey) -> keys.Signer | LockedSigner:
    """A local key ready to sign: from this session's memory, with the passphrase of the
    environment (scripts), or locked until it must sign (then the prompt asks)."""
    found = _unlocked.get(local.public_key)
    if found is not None:
        return found
    secret = os.environ.get(PASSPHRASE_ENV) or None
    if secret is not None or not local.encrypted:
        try:
            return keys.load_signer(local.public_key, secret)
        except keys.KeyError_ as error:
            if not local.encrypted:
                raise
            raise ServiceError(f"{PASSPHRASE_ENV}: {WRONG_PASSPHRASE}") from error
    return LockedSigner(local)


def unlock_to_sign(ws: Workspace) -> None:
    """Ask now for the passphrase of the acting person's locked key: before storing bytes that
    only the coming edit will name, so a cancel leaves nothing behind."""
    signer = ws.actor.signer if ws.actor is not None else None
    if isinstance(signer, LockedSigner):
        signer.unlock()


def change_passphrase(public_key: str, old: str | None, new: str | None) -> None:
    """Set, change or remove (new empty) the passphrase of a key on this laptop."""
    if new and len(new) < MIN_PASSPHRASE:
        raise ServiceError(SHORT_PASSPHRASE)
    try:
        signer = keys.change_passphrase(public_key, old or None, new or None)
    except keys.KeyError_ as error:
        raise ServiceError(WRONG_PASSPHRASE if old else str(error)) from error
    _unlocked[public_key] = signer


def local_key(public_key: str | None) -> keys.LocalKey | None:
    """The key of this laptop with this public half (its name, fingerprint, whether encrypted)."""
    return next((k for k in keys.local_keys() if k.public_key == public_key), None)


def my_key(ws: Workspace) -> keys.LocalKey | None:
    """The local key the acting member signs with, if it is on this laptop."""
    signer = ws.actor.signer if ws.actor is not None else None
    return local_key(getattr(signer, "public_key", None))


#: The public halves of the demo keys (a test derives them from the files again): opening the
#: demo compares them with its founder's key without reading a key file or loading the cipher.
DEMO_PUBLIC_KEYS = {
    "lead": "ZpFC+DThZN0CkTq3shfpaaC69GnoCGH9QFtRfnjKW4U=",
    "a": "o1V7wNgF0l6lpGca45EQRLNRa2a6cnegA7uzbocIn2Y=",
    "b": "/66BQMgGQt2U32zdjsI8QyR//X8m63KtMvuYvxjvA+I=",
    "c": "JrRtPm65ubVOQv99sfqPFXZSfnygzW78bieHPUuRVYU=",
}


class DemoSigner:
    """A demo member's signer whose private key file is read at its first signature."""

    def __init__(self, member_key: str) -> None:
        self.member_key = member_key
        self.public_key = DEMO_PUBLIC_KEYS[member_key]

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def sign(self, edit: Edit) -> Edit:
        return demo_key(self.member_key).sign(edit)

    def sign_batch(self, edits: Sequence[Edit]) -> list[Edit]:
        return demo_key(self.member_key).sign_batch(edits)

    def __repr__(self) -> str:
        return f"DemoSigner({self.member_key}, {self.fingerprint})"


@lru_cache(maxsize=8)
def demo_signer(member_key: str) -> DemoSigner:
    """A demo member's signer (a public, labelled key: only for the demo round)."""
    return DemoSigner(member_key)


@lru_cache(maxsize=8)
def demo_key(member_key: str) -> keys.Signer:
    """A demo member's key as read from its file (resources/demo)."""
    return keys.signer_from_pem(resource_path("demo", DEMO_KEY_FILES[member_key]).read_bytes())


def key_field(member_id: str, public_key: str) -> str:
    return member_field(member_id, f"key/{fingerprint_id(public_key)}")


def announce_field(member_id: str, public_key: str) -> str:
    return member_field(member_id, f"announce/{fingerprint_id(public_key)}")


def found_round(ws: Workspace, actor: Actor, extra_keys: Sequence[tuple[str, str]] = ()) -> Edit:
    """The lead founds (or, on upgrade, adopts) the round: one signed edit vouching for every
    edit already in the file; extra_keys (member id, public key) are admitted with it."""
    if actor.signer is None:
        raise ServiceError("Không lập được đợt: máy này không có khóa của Tổ trưởng.")
    ws.state()
    if ws.roster.founded:
        raise ServiceError("Đợt đánh giá này đã được lập (có khóa của Tổ trưởng); chỉ lập một lần.")
    with ws.db.reading() as session:
        existing = sorted(e.id for e in repository.load_edits(session) if e.key is None)
    value = {"member": actor.member_id, "key": actor.signer.public_key, "name": actor.name, "edits": existing}
    edit = Edit(ws.new_id(), FOUNDING_FIELD, value, actor.member_id, actor.device_id, ws.clock())
    ws.append([actor.signer.sign(edit)])
    ws.actor = actor
    if extra_keys:
        ws.write([Change(key_field(member, key), {"key": key}) for member, key in extra_keys])
    return edit


def adopt(ws: Workspace) -> Edit | None:
    """The lead vouches for unsigned edits not yet vouched for (e.g. merged from an old member)."""
    ws.require_actor()
    ws.state()
    with ws.db.reading() as session:
        loose = sorted(
            e.id for e in repository.load_edits(session) if e.key is None and e.id not in ws.roster.vouched
        )
    if not loose:
        return None
    new = ws.write([Change(adoption_field(ws.new_id()), {"edits": loose})])
    return new[0] if new else None


def signer_for(ws: Workspace, member_id: str) -> keys.Signer | LockedSigner | DemoSigner | None:
    """A signer of this member whose private key is on this laptop (or a demo key), else None."""
    ws.state()
    roster = ws.roster
    for local in keys.local_keys():
        if roster.keys.get(local.public_key) == member_id:
            return load_local(local)
    if is_demo_round(ws):
        for member_key in DEMO_KEY_FILES:
            signer = demo_signer(member_key)
            if roster.keys.get(signer.public_key) == member_id:
                return signer
    return None


def is_demo_round(ws: Workspace) -> bool:
    """True when the round was founded by the labelled demo lead key."""
    ws.state()
    founding = ws.state().value(FOUNDING_FIELD)
    return isinstance(founding, dict) and founding.get("key") == demo_signer("lead").public_key


def local_members(ws: Workspace) -> list[str]:
    """Names of the members whose admitted private keys are on this laptop."""
    ws.state()
    found = []
    for member in ws.members():
        if any(ws.roster.keys.get(k.public_key) == member.id for k in keys.local_keys()):
            found.append(member.name)
        elif is_demo_round(ws) and signer_for(ws, member.id) is not None:
            found.append(member.name)
    return found


def ensure_key(name: str, member_id: str | None = None) -> keys.Signer | LockedSigner:
    """This laptop's key for a person (created at first use; no passphrase unless set later)."""
    for local in keys.local_keys():
        if (member_id and local.member_id == member_id) or (not member_id and local.name == name):
            return load_local(local)
    return keys.create_key(name, member_id, os.environ.get(PASSPHRASE_ENV) or None)


def announce(ws: Workspace, actor: Actor, title: str = "") -> Edit | None:
    """A self-signed key announcement (the member's first package carries it to the lead)."""
    if actor.signer is None:
        raise ServiceError("Máy này chưa có khóa để thông báo.")
    public = actor.signer.public_key
    change = Change(
        announce_field(actor.member_id, public), {"key": public, "name": actor.name, "title": title}
    )
    new = ws.write([change])
    return new[0] if new else None


def admit_key(ws: Workspace, public_key_or_fingerprint: str, role: str = "member") -> str:
    """The lead admits an announced key (by its fingerprint); returns the member's name."""
    ws.state()
    wanted = "".join(public_key_or_fingerprint.split()).upper()
    matches = [
        (key, info)
        for key, info in ws.roster.announced.items()
        if key == public_key_or_fingerprint or fingerprint_id(key) == wanted
    ]
    if not matches:
        raise ServiceError(f"Không có khóa nào được thông báo với vân tay «{public_key_or_fingerprint}».")
    if role == ROLE_LEAD:
        raise ServiceError("Nhận khóa không trao vai trò Tổ trưởng; đổi Tổ trưởng là một bước riêng.")
    key, (member, name, title) = matches[0]
    changes = [Change(key_field(member, key), {"key": key})]
    if ws.member(member) is None:
        changes += [
            Change(member_field(member, "name"), name),
            Change(member_field(member, "title"), title),
            Change(member_field(member, "role"), role),
        ]
    ws.write(changes)
    return name


def announced(ws: Workspace) -> list[tuple[str, str, str]]:
    """Keys announced but not admitted: (fingerprint, name, title)."""
    ws.state()
    return [(fingerprint(k), name, title) for k, (_m, name, title) in ws.roster.announced.items()]


def local_fingerprints() -> list[tuple[str, str]]:
    """(name, fingerprint) of every key on this laptop, for the identity screens."""
    return [(k.name, k.fingerprint) for k in keys.local_keys()]


def revoke_keys(ws: Workspace, member_id: str) -> int:
    """The lead revokes a member's keys, keeping the edits each key signed so far (docs/rules.md §9):
    a stolen key of a removed member then signs nothing that applies. Returns the keys revoked."""
    ws.state()
    theirs = [key for key, owner in ws.roster.keys.items() if owner == member_id]
    if not theirs or not ws.roster.founded:
        return 0
    with ws.db.reading() as session:
        signed = repository.load_edits(session)
    changes = [
        Change(
            key_field(member_id, key),
            {"key": key, "revoked": True, "keeps": sorted(e.id for e in signed if e.key == key)},
        )
        for key in theirs
    ]
    ws.write(changes)
    return len(changes)


def local_announced(ws: Workspace, name: str) -> tuple[str, keys.Signer | LockedSigner] | None:
    """(member id, signer) of a key on this laptop announced under this name, not yet admitted."""
    ws.state()
    for local in keys.local_keys():
        found = ws.roster.announced.get(local.public_key)
        if found is not None and local.name == name and found[1] == name:
            return found[0], load_local(local)
    return None
