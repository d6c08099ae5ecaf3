"""Moving a board in and out, by what the user does: one name for the shells to import.

- services/csv_import.py: `pkanban import` of a CRM's CSV export (or of a JSON dump, by content);
- services/dump.py: the whole board as a JSON dump, and its restore into an empty board;
- services/export.py: the markdown, Obsidian, CSV, JSON and calendar exports, written safely;
- services/import_report.py: the options, the report and the report in words.
"""

from pkanban.services.csv_import import PREVIEW_ROWS, import_csv, import_csv_bytes, import_file
from pkanban.services.dump import dump_board, restore_dump
from pkanban.services.export import EXPORT_FORMATS, PERIOD_FORMATS, export_board, write_export
from pkanban.services.import_report import ImportOptions, ImportReport, report_json

__all__ = [
    "EXPORT_FORMATS",
    "PERIOD_FORMATS",
    "PREVIEW_ROWS",
    "ImportOptions",
    "ImportReport",
    "dump_board",
    "export_board",
    "import_csv",
    "import_csv_bytes",
    "import_file",
    "report_json",
    "restore_dump",
    "write_export",
]
