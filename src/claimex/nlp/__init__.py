"""The NLP stage: the spaCy pipeline (:mod:`.pipeline`, :mod:`.components`), the algorithms its
components wrap (segmentation, entities and doses, cues, claims, strength) and the extractors
from a Doc to table rows (:mod:`.extract`)."""
