"""claimex pipeline configuration and editable lexicon/pattern data (shipped as claimex.pipelines)."""
