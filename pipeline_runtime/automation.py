"""Declarative automation: derived assets re-materialise when they are stale, and nothing else runs.

``STALE`` is Dagster's ``eager`` condition (an upstream asset was updated, or will be in this tick, and no
upstream is missing or in progress) or a new code version of the asset itself. It goes on the assets that
only derive from others (registry, cleaned data, datasets, models, leaderboards). Assets that fetch from an
API with a quota or spend LLM money (eCFR, SAM.gov, synthetic and raw generation, frontier baselines) keep
their schedules, sensors or manual runs.
"""

import dagster as dg

STALE = (
    dg.AutomationCondition.eager()
    | (dg.AutomationCondition.code_version_changed() & ~dg.AutomationCondition.any_deps_missing())
).with_label("stale: upstream updated or code version changed")


def stale_over_partitions(partitioned: dg.AssetSelection) -> dg.AutomationCondition:
    """``STALE`` for an asset that reads every partition of a daily source (``fedproc_dataset`` over the
    SAM days): days not fetched yet (quota) are missing by design and must not hold it back; its other
    inputs must exist."""
    return (
        (
            dg.AutomationCondition.eager().without(~dg.AutomationCondition.any_deps_missing())
            | dg.AutomationCondition.code_version_changed()
        )
        & ~dg.AutomationCondition.any_deps_missing().ignore(partitioned)
    ).with_label("stale: an upstream (partition) updated or code version changed")


def automation_sensor(location: str) -> dg.AutomationConditionSensorDefinition:
    """The location's automation sensor, on by default (the daemon evaluates it every 30 s)."""
    return dg.AutomationConditionSensorDefinition(
        f"{location}_automation",
        target=dg.AssetSelection.all(),
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
