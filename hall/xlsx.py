"""The one XLSX writer: workbooks of real numbers whose sheets have a bold, frozen header row, saved as bytes. The
reports' tables and the assessment workbook are written with it (it lives here so that no app reads reports/)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def workbook() -> Workbook:
    """A workbook without sheets: add them with `sheet`."""
    book = Workbook()
    book.remove(book.active)
    return book


def sheet(book: Workbook, title: str, header: list | None = None, *, frozen_columns: int = 0, widths=()):
    """A new sheet; with a header, its row is bold and frozen with the first `frozen_columns` columns (those that
    name the rows). `widths` are the first columns' widths, in characters."""
    added = book.create_sheet(str(title))
    if header is not None:
        added.append([str(cell) for cell in header])
        for cell in added[1]:
            cell.font = BOLD
        # By its name: taking the cell itself would create row 2, and the rows appended next would skip it.
        added.freeze_panes = f"{get_column_letter(frozen_columns + 1)}2"
    for index, width in enumerate(widths, start=1):
        added.column_dimensions[get_column_letter(index)].width = width
    return added


def saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
