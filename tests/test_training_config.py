"""Training settings from the environment, and the tags that send training steps to a GPU worker."""

import json

import pytest

from pipeline_runtime.training import TrainingConfig, training_config_from_env, training_op_tags


def test_profiles_and_overrides_come_from_the_environment(monkeypatch):
    assert training_config_from_env() == TrainingConfig()
    monkeypatch.setenv("TRAIN_PROFILE", "full")
    monkeypatch.setenv("TRAIN_BASE_MODEL", "answerdotai/ModernBERT-base")
    monkeypatch.setenv("TRAIN_EPOCHS", "2")
    monkeypatch.setenv("TRAIN_MAX_STEPS", "7")
    config = training_config_from_env()
    assert config.base() == config.base_label() == "answerdotai/ModernBERT-base"
    settings = config.settings("phi")
    assert (settings.epochs, settings.max_steps, settings.batch_size) == (2, 7, 32)
    assert config.windows().max_length == 512
    monkeypatch.setenv("TRAIN_PROFILE", "huge")
    with pytest.raises(ValueError, match="TRAIN_PROFILE"):
        training_config_from_env()


def test_the_default_base_model_is_the_packaged_minilm():
    config = TrainingConfig()
    assert (config.settings("fedproc").epochs, config.windows().max_length) == (2, 128)
    assert config.base().endswith("model") and "MiniLM" in config.base_label()


def test_training_steps_can_ask_for_a_gpu_worker(monkeypatch):
    from dagster_dask.executor import get_dask_resource_requirements

    monkeypatch.delenv("TRAIN_GPU_WORKERS", raising=False)
    assert training_op_tags() == {}
    monkeypatch.setenv("TRAIN_GPU_WORKERS", "1")
    tags = training_op_tags()
    assert get_dask_resource_requirements(tags) == {"GPU": 1}
    pod = json.loads(tags["dagster-k8s/config"])
    assert pod["container_config"]["resources"]["limits"] == {"nvidia.com/gpu": "1"}
    monkeypatch.setenv("TRAIN_GPU_WORKERS", "yes")
    with pytest.raises(ValueError, match="TRAIN_GPU_WORKERS"):
        training_op_tags()
