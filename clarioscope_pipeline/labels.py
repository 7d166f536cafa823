"""The three ClarioScope label sets. Dagster-free: datasets, models and reports import these."""

from __future__ import annotations

from functools import cache
from importlib import resources

INTENTS = (
    "new_patient_inquiry",
    "existing_patient_question",
    "appointment_request",
    "billing_inquiry",
    "clinical_concern",
    "complaint",
    "price_shopper",
)

# The 18 HIPAA Safe Harbor identifier types, as entity labels.
PHI_TYPES = (
    "NAME", "LOC", "DATE", "PHONE", "FAX", "EMAIL", "SSN", "MRN", "HEALTH_PLAN", "ACCOUNT",
    "LICENSE", "VEHICLE", "DEVICE", "URL", "IP", "BIOMETRIC", "PHOTO_REF", "AGE_OVER_89",
)  # fmt: skip

INSURANCE_FIELDS = (
    "CARRIER", "PLAN_TYPE", "MEMBER_ID", "GROUP_NUMBER", "POLICY_NUMBER", "SUBSCRIBER_NAME",
    "RELATIONSHIP", "CLAIM_ID", "AUTH_NUMBER", "COPAY", "DEDUCTIBLE", "BILLED_AMOUNT",
)  # fmt: skip


def bio_tags(entity_types: tuple[str, ...]) -> list[str]:
    """IOB2 tag set: ``O`` then ``B-X``, ``I-X`` for each type, in a fixed order."""
    return ["O"] + [f"{prefix}-{t}" for t in entity_types for prefix in ("B", "I")]


def label_schema() -> dict[str, object]:
    return {
        "intent": list(INTENTS),
        "phi": list(PHI_TYPES),
        "phi_tags": bio_tags(PHI_TYPES),
        "insurance": list(INSURANCE_FIELDS),
        "insurance_tags": bio_tags(INSURANCE_FIELDS),
    }


@cache
def labelling_guide() -> str:
    """``docs/labelling.md`` (packaged as ``clarioscope_pipeline/data/labelling.md``): what is and is not each
    label, span edges and intent rules. The LLM-generation and baseline prompts carry it as instructions."""
    return resources.files("clarioscope_pipeline").joinpath("data/labelling.md").read_text(encoding="utf-8")
