"""The artifact store as a Dagster resource: a local folder (profile ``local``) or an S3 bucket through
dagster-aws's ``S3Resource`` (profile ``production``)."""

import dagster as dg
from dagster_aws.s3 import S3Resource
from pydantic import Field

from pipeline_runtime.env import env_int, env_str, pipeline_env
from pipeline_runtime.paths import artifacts_root
from slmkit.storage import ArtifactStore, LocalArtifactStore, S3ArtifactStore


class ArtifactStoreResource(dg.ConfigurableResource):
    """Folder that holds every dataset, raw download, model and report the assets write."""

    root: str | None = Field(
        default=None, description="Artifacts folder; default $ARTIFACTS_ROOT, else artifacts/ in the project."
    )

    def store(self) -> ArtifactStore:
        return LocalArtifactStore(self.root or artifacts_root())


class S3ArtifactStoreResource(ArtifactStoreResource):
    """The same artifacts in an S3 bucket (any S3-compatible store: ``s3.endpoint_url`` or boto3's own
    ``AWS_ENDPOINT_URL``). ``root`` is where model folders read from the bucket are kept on this machine."""

    s3: S3Resource
    bucket: str = Field(description="Bucket that holds the artifacts ($S3_BUCKET).")
    prefix: str = Field(default="", description="Key prefix inside the bucket ($S3_PREFIX).")
    multipart_threshold_mb: int = Field(
        default=8, ge=5, description="Files larger than this go up in parts (S3 parts are at least 5 MiB)."
    )

    def store(self) -> ArtifactStore:
        return S3ArtifactStore(
            self.s3.get_client(),
            self.bucket,
            self.prefix,
            cache_dir=self.root or artifacts_root() / "s3-cache",
            multipart_threshold=self.multipart_threshold_mb << 20,
        )


def store_resource_from_env() -> ArtifactStoreResource:
    """``PIPELINE_ENV=local``: the local folder. ``production``: the bucket named by ``S3_BUCKET``; endpoint,
    region and credentials come from boto3's own variables (``AWS_ENDPOINT_URL``, ``AWS_DEFAULT_REGION``,
    ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY``), so no secret is part of the resource config."""
    if pipeline_env() == "local":
        return ArtifactStoreResource()
    bucket = env_str("S3_BUCKET", "")
    if not bucket:
        raise ValueError("PIPELINE_ENV=production needs S3_BUCKET (the bucket that holds the artifacts)")
    return S3ArtifactStoreResource(
        s3=S3Resource(max_attempts=env_int("S3_MAX_ATTEMPTS", 5, minimum=1)),
        bucket=bucket,
        prefix=env_str("S3_PREFIX", ""),
    )
