"""The committed `dagster.production.yaml` on a real PostgreSQL 15 (a throwaway cluster on 127.0.0.1):
runs and materialisations land in Postgres with the SQLAlchemy 2.1 scheme, and the pools keep their limit."""

import shutil
from pathlib import Path

import dagster as dg
import pytest

from clarioscope_pipeline.assets import clarioscope_label_schema
from pipeline_runtime.resources import ArtifactStoreResource
from tests.fakes import postgres

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not postgres.available(), reason="PostgreSQL 15 binaries not installed")


@pytest.fixture(scope="module")
def cluster():
    with postgres.PostgresCluster() as running:
        yield running


def test_runs_and_materialisations_land_in_postgres(cluster, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    shutil.copyfile(ROOT / "dagster.production.yaml", home / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_POSTGRES_URL", cluster.url)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        pools = instance.get_concurrency_config().pool_config
        assert pools.default_pool_limit == 1 and pools.pool_granularity.value == "run"
        store = ArtifactStoreResource(root=str(tmp_path / "artifacts"))
        result = dg.materialize([clarioscope_label_schema], resources={"store": store}, instance=instance)
        assert result.success
        run_id = result.run_id
    with cluster.connect() as conn, conn.cursor() as cursor:
        cursor.execute("SELECT status FROM runs WHERE run_id = %s", (run_id,))
        assert cursor.fetchone() == ("SUCCESS",)
        cursor.execute(
            "SELECT count(*) FROM event_logs WHERE asset_key LIKE %s", ("%clarioscope_label_schema%",)
        )
        assert cursor.fetchone()[0] >= 1
    # A second process (here: a new instance) reads the same history.
    with dg.DagsterInstance.from_config(str(home)) as again:
        assert again.get_latest_materialization_event(dg.AssetKey("clarioscope_label_schema")) is not None
