"""Running the NLP over documents: in this process or forked workers (:mod:`.local`), or on a Dask cluster (:mod:`.distributed`).

Both send back rows (:class:`claimex.engine.local.DocRows`), never Docs."""
