"""The FedProc dataset: SAM.gov notices and FAR/DFARS passages as labelled records. Dagster-free, pure
functions.

- :mod:`.labels` — the label vocabularies of tasks 1-3 and the SAM field → label maps.
- :mod:`.clauses` — task 4: FAR ``52.2xx-x`` / DFARS ``252.2xx-7xxx`` citation spans.
- :mod:`.records` — one record per SAM notice; passages of real regulation text.
- :mod:`.splits` — deterministic train/val/test split grouped by origin document.
- :mod:`.validation` — validators that return the ids of offending records.

A record is a dict: ``id``, ``text``, ``source`` (``sam_metadata`` / ``ecfr`` / ``synthetic``),
``label_origin`` (one entry per task, ``None`` where the task is masked off), ``doc_id``, ``task_mask`` (4
booleans), the four labels ``notice_type``, ``naics_sector``, ``set_asides``, ``clause_spans`` (``None``
exactly where masked off), ``clause_numbers_rejected`` (citations found in the text but absent from the
registry) and, after splitting, ``split``.
"""

from fedproc_pipeline.dataset.clauses import canonical_number, find_clause_spans, registry_number_set
from fedproc_pipeline.dataset.labels import (
    NAICS_SECTOR_TITLES,
    NAICS_SECTORS,
    NOTICE_TYPES,
    SET_ASIDES,
    naics_sector,
    notice_type_bucket,
    set_aside_labels,
)
from fedproc_pipeline.dataset.records import TASKS, registry_passages, sam_records, strip_html
from fedproc_pipeline.dataset.splits import SPLITS, grouped_split, split_shares
from fedproc_pipeline.dataset.validation import (
    check_doc_leakage,
    check_registry_numbers,
    check_spans_align,
    check_task_mask,
    run_checks,
)

__all__ = [
    "NAICS_SECTORS",
    "NAICS_SECTOR_TITLES",
    "NOTICE_TYPES",
    "SET_ASIDES",
    "SPLITS",
    "TASKS",
    "canonical_number",
    "check_doc_leakage",
    "check_registry_numbers",
    "check_spans_align",
    "check_task_mask",
    "find_clause_spans",
    "grouped_split",
    "naics_sector",
    "notice_type_bucket",
    "registry_number_set",
    "registry_passages",
    "run_checks",
    "sam_records",
    "set_aside_labels",
    "split_shares",
    "strip_html",
]
