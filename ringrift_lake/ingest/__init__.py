"""Importing games played elsewhere into raw_games.

    import_files(lake, paths) -> ImportReport   (reference .jsonl[.gz] -> import:reference, strict;
                                                 legacy SQLite .db -> import:legacy, legacy)
    read_reference_file(path) / read_legacy_db(path) -> rows and BadRecord values
"""
from ringrift_lake.ingest.importer import FileReport, ImportReport, import_files, kind_of
from ringrift_lake.ingest.legacy_sqlite import read_legacy_db, reference_move
from ringrift_lake.ingest.records import BadRecord, ImportFileError, TruncatedFileError
from ringrift_lake.ingest.reference import read_reference_file, record_to_row

__all__ = ["BadRecord", "FileReport", "ImportFileError", "ImportReport", "import_files", "kind_of",
           "read_legacy_db", "read_reference_file", "record_to_row", "reference_move", "TruncatedFileError"]
