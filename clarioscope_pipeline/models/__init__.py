"""ClarioScope models: training and evaluation (``training``), the hybrid extractor (``hybrid``), the
frontier-LLM baselines (``baselines``) and the Dagster assets around them (``assets``)."""
