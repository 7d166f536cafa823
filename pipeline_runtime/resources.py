"""The artifact store as a Dagster resource."""

import dagster as dg
from pydantic import Field

from pipeline_runtime.paths import artifacts_root
from slmkit.storage import ArtifactStore


class ArtifactStoreResource(dg.ConfigurableResource):
    """Folder that holds every dataset, raw download and progress file the assets write."""

    root: str | None = Field(
        default=None, description="Artifacts folder; default $ARTIFACTS_ROOT, else artifacts/ in the project."
    )

    def store(self) -> ArtifactStore:
        return ArtifactStore(self.root or artifacts_root())
