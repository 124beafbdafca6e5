"""SQLite files damaged as a crash or a bad disk leaves them, for the tests of setting a damaged file aside."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def damaged_pages(path: Path) -> None:
    """A database whose header reads but whose pages do not: SQLite's quick_check reports them."""
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("CREATE TABLE t (x TEXT)")
        connection.execute("CREATE INDEX t_x ON t (x)")
        connection.executemany("INSERT INTO t VALUES (?)", [(f"x{n}" * 50,) for n in range(300)])
    data = bytearray(path.read_bytes())
    for page in (2, 3, 4):
        start = 4096 * page
        data[start], data[start + 3], data[start + 4] = 0x0D, 0xFF, 0xFF
    path.write_bytes(bytes(data))
