"""``nianbao export``: the store's reports as files for the tools journalists use — CSV, XLSX,
JSON Lines and Parquet tables (tidy facts and one wide table per official table), the original
documents with a SHA-256 manifest, a WACZ of their captures and a Frictionless data package.

Pure writers over the SQL views (:mod:`storage.views`); the archive is read with
:mod:`storage.warcread`. Nothing here imports the crawler.
"""

from crawler.export.run import ExportResult, run_export
from crawler.export.select import ExportFilter

__all__ = ["ExportFilter", "ExportResult", "run_export"]
