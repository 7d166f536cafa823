"""The regulations assets through Dagster: snapshot mode (the offline default) and live mode
against a fake eCFR server on 127.0.0.1."""

from pathlib import Path

import dagster as dg

from fedproc_pipeline.regulations.assets import (
    REGISTRY_PATH,
    XML_MANIFEST,
    ecfr_title48_xml,
    far_clause_registry,
)
from fedproc_pipeline.regulations.checks import REGISTRY_CHECKS
from fedproc_pipeline.regulations.resources import EcfrClient
from tests.conftest import latest_materialization
from tests.fakes.ecfr_server import FakeEcfrServer

FIXTURE = Path(__file__).parent / "fixtures" / "ecfr_part52_snippets.xml"
ASSETS = [ecfr_title48_xml, far_clause_registry, *REGISTRY_CHECKS]


def _meta(materialization, name):
    return materialization.metadata[name].value


def test_snapshot_mode_builds_the_full_registry_and_passes_every_check(instance, store):
    result = dg.materialize(ASSETS, resources={"ecfr": EcfrClient(), "store": store}, instance=instance)
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    assert len(result.get_asset_check_evaluations()) == 4
    table = store.store().read_parquet(REGISTRY_PATH)
    assert table.num_rows == 692 + 450
    registry = latest_materialization(instance, "far_clause_registry")
    assert _meta(registry, "source") == "snapshot"
    assert _meta(registry, "sections_per_part") == {"52": 692, "252": 450}
    assert "FAR" in _meta(registry, "edition")
    xml = latest_materialization(instance, "ecfr_title48_xml")
    assert _meta(registry, "upstream_versions") == {"ecfr_title48_xml": xml.tags["dagster/data_version"]}
    assert registry.tags["dagster/data_version"] == _meta(registry, "content_hash")


def test_rematerialising_unchanged_xml_keeps_the_registry_in_sync(instance, store):
    resources = {"ecfr": EcfrClient(), "store": store}
    assert dg.materialize(ASSETS, resources=resources, instance=instance).success
    first = latest_materialization(instance, "ecfr_title48_xml").tags["dagster/data_version"]
    assert dg.materialize([ecfr_title48_xml], resources=resources, instance=instance).success
    second = latest_materialization(instance, "ecfr_title48_xml").tags["dagster/data_version"]
    registry = latest_materialization(instance, "far_clause_registry")
    # Same data version upstream, and the registry recorded exactly that version as its input:
    # Dagster's staleness logic therefore leaves the registry synced.
    assert first == second
    assert registry.tags["dagster/input_data_version/ecfr_title48_xml"] == second


def test_live_mode_fetches_with_fallback_and_blocks_a_short_registry(instance, store):
    xml = FIXTURE.read_bytes()
    with FakeEcfrServer({("2026-11-25", "52"): xml, ("2026-11-25", "252"): xml}) as server:
        ecfr = EcfrClient(source="live", base_url=server.base_url, on_or_before="2026-11-27")
        result = dg.materialize(
            ASSETS, resources={"ecfr": ecfr, "store": store}, instance=instance, raise_on_error=False
        )
    xml_meta = latest_materialization(instance, "ecfr_title48_xml")
    parts = _meta(xml_meta, "parts")
    assert _meta(xml_meta, "source") == "live"
    assert parts["52"]["served_date"] == "2026-11-25"
    assert parts["52"]["fallback_dates"] == ["2026-11-27", "2026-11-26"]
    # The excerpt holds 14 sections, far fewer than a real part: the blocking count check fails.
    checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
    assert checks["section_counts_plausible"] is False
    assert checks["clause_numbers_well_formed"] is True


def test_a_failed_live_fetch_leaves_the_previous_edition_whole(instance, store):
    resources = {"ecfr": EcfrClient(), "store": store}
    assert dg.materialize(ASSETS, resources=resources, instance=instance).success
    before = store.store().read_json(XML_MANIFEST)
    # Part 52 is served, part 252 is not: the run fails after fetching one part.
    with FakeEcfrServer({("2026-11-25", "52"): FIXTURE.read_bytes()}) as server:
        live = EcfrClient(
            source="live", base_url=server.base_url, on_or_before="2026-11-25", max_fallback_days=1
        )
        failed = dg.materialize(
            [ecfr_title48_xml],
            resources={"ecfr": live, "store": store},
            instance=instance,
            raise_on_error=False,
        )
        assert not failed.success
        assert len(server.requests) == 3  # part 52 once, part 252 on its date and the day before: no retries
    assert store.store().read_json(XML_MANIFEST) == before
    xml_dir = store.store().path("regulations/ecfr_title48_xml")
    assert sorted(p.name for p in xml_dir.iterdir()) == sorted([Path(before["dir"]).name, "manifest.json"])
    assert dg.materialize(
        [far_clause_registry, *REGISTRY_CHECKS], resources=resources, instance=instance
    ).success
    assert store.store().read_parquet(REGISTRY_PATH).num_rows == 692 + 450
