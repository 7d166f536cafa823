"""SAM.gov contract opportunities (Opportunities API v2)."""
