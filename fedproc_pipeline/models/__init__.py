"""The FedProc multi-task model: training and evaluation (``training``), the shipped clause extractor
(``extraction``) and the Dagster assets around them (``assets``)."""
