"""``phigate keys rotate``: re-encrypt every sealed column with the first configured key, in batches.

Plain rows (written before a key was configured) are sealed too. Each batch is its own transaction,
so a rotation that stops half-way is simply run again: rows already under the new key are rewritten
with it again, nothing is lost. Values are never printed, only counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from storage import crypto
from storage.db import Database
from storage.errors import StorageUnavailable

# table -> (primary key columns, sealed columns); the same columns storage/orm.py declares SealedText.
SEALED_COLUMNS = {
    "draft_texts": (("draft_id", "version"), ("text",)),
    "drafts": (("id",), ("context", "override_justification")),
    "decisions": (("id",), ("comment",)),
    "incidents": (("id",), ("link",)),
}


@dataclass
class RotationCount:
    """What a rotation did, per kind of value."""

    sealed_from_plain: int = 0
    rewrapped: int = 0
    empty: int = 0


def rotate(db: Database, batch: int = 500) -> RotationCount:
    """Seal every value of the sealed columns with the first key of ``db``'s cipher.

    Raises:
        StorageUnavailable: no key is configured, or a value opens with none of the keys.
    """
    cipher = crypto.cipher_of(db.engine.dialect)
    if cipher is None:
        raise StorageUnavailable("PHIGATE_ENCRYPTION_KEY is not set: there is no key to rotate to")
    count = RotationCount()
    for table, (keys, columns) in SEALED_COLUMNS.items():
        order = ", ".join(keys)
        offset = 0
        while True:
            with db.transaction() as tx:
                rows = tx.session.execute(
                    text(
                        f"SELECT {order}, {', '.join(columns)} FROM {table} ORDER BY {order} LIMIT :n OFFSET :o"
                    ),
                    {"n": batch, "o": offset},
                ).all()
                for row in rows:
                    ids = dict(zip(keys, row[: len(keys)], strict=True))
                    values = {}
                    for column, value in zip(columns, row[len(keys) :], strict=True):
                        if not value:
                            count.empty += 1
                            continue
                        if value.startswith(crypto.PREFIX):
                            count.rewrapped += 1
                        else:
                            count.sealed_from_plain += 1
                        values[column] = crypto.seal(cipher, crypto.unseal(cipher, value))
                    if values:
                        assignments = ", ".join(f"{column} = :v_{column}" for column in values)
                        where = " AND ".join(f"{key} = :k_{key}" for key in keys)
                        tx.session.execute(
                            text(f"UPDATE {table} SET {assignments} WHERE {where}"),
                            {
                                **{f"v_{c}": v for c, v in values.items()},
                                **{f"k_{k}": v for k, v in ids.items()},
                            },
                        )
            if len(rows) < batch:
                break
            offset += batch
    return count
