"""Output storage: Parquet tables (:mod:`.tables`), atomic files (:mod:`.atomic`), the manifest,
the output lock, and queries over a processed folder (:mod:`.query`)."""
