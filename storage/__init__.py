"""Storage and archive: database tables and queries (db, models, repo, versions, frontier, changes)
and the WARC archive (warc, warcrecord, warcread, cdxj, recovery)."""
