import dagster as dg
import pytest

from pipeline_runtime.resources import ArtifactStoreResource


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
