"""Dagster glue both code locations share: where things live, the artifact-store resource,
provenance metadata and the `demo` command runner. Logic stays in the Dagster-free `slmkit`."""
