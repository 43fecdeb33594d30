"""Plain-text helpers shared by the Markdown outputs (the report, the evaluation summary, flag reasons)."""

from __future__ import annotations


def plural(n: int, noun: str) -> str:
    """``"1 source"``, ``"3 sources"``."""
    return f"{n} {noun}" + ("" if n == 1 else "s")


def md_row(cells: list[str]) -> str:
    """One pipe-table row; the cells must already be escaped."""
    return "| " + " | ".join(cells) + " |"


def md_table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> list[str]:
    """The lines of a pipe table: header, alignment row (``---`` unless ``align``), rows."""
    align = align or ["---"] * len(header)
    return [md_row(header), md_row(align)] + [md_row(r) for r in rows]
