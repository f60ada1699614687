"""SQLAlchemy 2.0 typed mappings; they match data/schema.sql exactly (a test checks)."""

from __future__ import annotations

from sqlalchemy import Index, Integer, LargeBinary, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the store."""


class SchemaMeta(Base):
    """Facts about this database file; never travels."""

    __tablename__ = "schema_meta"
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class EditRow(Base):
    """One edit of the append-only log."""

    __tablename__ = "edits"
    __table_args__ = (
        Index("ix_edits_scope", "scope"),
        Index("ix_edits_field", "field"),
        {"sqlite_autoincrement": True},
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(Text, unique=True)
    scope: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(Text)
    device: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    parents: Mapped[str] = mapped_column(Text, server_default=text("'[]'"))
    basis: Mapped[str] = mapped_column(Text, server_default=text("'[]'"))
    key: Mapped[str | None] = mapped_column(Text)
    signature: Mapped[str | None] = mapped_column(Text)


class AttachmentRow(Base):
    """An evidence file or signature image, addressed by its SHA-256."""

    __tablename__ = "attachments"
    sha256: Mapped[str] = mapped_column(Text, primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[str] = mapped_column(Text)


class LocalState(Base):
    """Per-file bookkeeping that never travels."""

    __tablename__ = "local_state"
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str] = mapped_column(Text)
