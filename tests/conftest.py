from datetime import date, timedelta

import dagster as dg
import pytest

from pipeline_runtime.resources import ArtifactStoreResource

KEY = "SECRET-KEY-abc123"  # the SAM.gov API key the fakes expect; tests check it never leaks
QUOTA_DAY = date(2026, 11, 21)  # the UTC day ``quota_day`` starts on


class QuotaDay:
    """The UTC day request quotas are charged to; set ``day`` or :meth:`advance` to pass a reset."""

    def __init__(self, day: date):
        self.day = day

    def __call__(self) -> date:
        return self.day

    def advance(self, days: int = 1) -> None:
        self.day += timedelta(days=days)


@pytest.fixture
def quota_day(monkeypatch):
    """Moves the UTC day both the SAM client and the quota ledger see (from :data:`QUOTA_DAY`)."""
    today = QuotaDay(QUOTA_DAY)
    monkeypatch.setattr("fedproc_pipeline.sam.api.utc_today", today)
    monkeypatch.setattr("slmkit.quota.utc_today", today)
    return today


@pytest.fixture
def instance(tmp_path):
    with dg.instance_for_test(temp_dir=str(tmp_path)) as test_instance:
        yield test_instance


@pytest.fixture
def store(tmp_path):
    return ArtifactStoreResource(root=str(tmp_path / "artifacts"))


def latest_materialization(instance, key, partition=None):
    records_filter = dg.AssetRecordsFilter(
        asset_key=dg.AssetKey(key), asset_partitions=[partition] if partition else None
    )
    records = instance.fetch_materializations(records_filter, limit=1).records
    return records[0].asset_materialization if records else None


@pytest.fixture(scope="session")
def snapshot_registry():
    """Every section of the committed regulations snapshot, parsed (read-only: do not mutate)."""
    from fedproc_pipeline.regulations.parser import PARTS, iter_sections
    from fedproc_pipeline.regulations.snapshot import open_part

    records = []
    for part in PARTS:
        with open_part(part) as handle:
            records += list(iter_sections(handle, source_label="snapshot"))
    return records


@pytest.fixture(scope="session")
def tiny_base_model(tmp_path_factory):
    """A random-init 2-layer BERT with the packaged MiniLM's tokenizer: trains in seconds on the CPU."""
    from transformers import AutoTokenizer, BertConfig, BertModel

    from pipeline_runtime.training import default_base_model

    path = tmp_path_factory.mktemp("tiny-bert")
    tokenizer = AutoTokenizer.from_pretrained(default_base_model())
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
    )
    BertModel(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return str(path)
