"""The Kubernetes deployment (deploy/k8s) against the code: every manifest parses; every image is the
one image the code and the Dockerfile name; every command exists (CLI subcommands parse their flags,
modules import, binaries are installed); every environment name is one the code (or Dagster) reads;
the instance config validates against Dagster's schema (K8sRunLauncher included) and stores in the
same PostgreSQL settings as dagster_home/postgres; the training launcher chosen by configuration is
a real PipesK8sClient whose pod body builds from train-pod.yaml with a GPU."""
import importlib.util
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from assets.launchers import DEFAULT_IMAGE, TRAIN_MODULE, TrainLauncher
from cli import build_parser
from ringrift_lake.fleet.allocation import AllocationRule

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
DAGSTER_READS = {"DAGSTER_HOME", "DAGSTER_CURRENT_IMAGE"}       # read by Dagster itself


def manifests() -> list[dict]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        docs += [dict(d, _file=path.name) for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def containers(doc: dict) -> list[dict]:
    spec = doc.get("spec") or {}
    pod = spec.get("template", {}).get("spec") if doc["kind"] in ("Deployment", "Job") else spec
    return list((pod or {}).get("containers") or [])


def instance_yaml() -> dict:
    (config_map,) = [d for d in manifests() if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "dagster-instance"]
    return config_map


def env_names_read_by_code() -> set[str]:
    names = set(DAGSTER_READS)
    pattern = re.compile(r"""["'](RINGRIFT_[A-Z0-9_]+|AWS_[A-Z0-9_]+|DAGSTER_[A-Z0-9_]+)["']""")
    for layer in ("engine", "ringrift_lake", "training", "assets", "cli"):
        for path in (REPO / layer).rglob("*.py"):
            names.update(pattern.findall(path.read_text()))
    names.update(f"RINGRIFT_ALLOC_{f.upper()}" for f in AllocationRule.__dataclass_fields__)
    postgres = yaml.safe_load((REPO / "dagster_home" / "postgres" / "dagster.yaml").read_text())
    names.update(v["env"] for v in postgres["storage"]["postgres"]["postgres_db"].values() if isinstance(v, dict))
    return names


def test_manifests_parse_and_name_one_image():
    docs = manifests()
    assert {d["kind"] for d in docs} >= {"Namespace", "ConfigMap", "Secret", "Deployment", "Service", "Pod",
                                         "ServiceAccount", "Role", "RoleBinding", "Kustomization"}
    images = {c["image"] for d in docs for c in containers(d)}
    assert images == {DEFAULT_IMAGE}
    version = re.search(r'^version = "([^"]+)"', (REPO / "pyproject.toml").read_text(), re.M).group(1)
    assert DEFAULT_IMAGE == f"ringrift-lake:{version}"
    instance = yaml.safe_load(instance_yaml()["data"]["dagster.yaml"])
    assert instance["run_launcher"]["config"]["job_image"] == DEFAULT_IMAGE
    config = {k: v for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "ringrift-env"
              for k, v in d["data"].items()}
    assert config["RINGRIFT_K8S_IMAGE"] == DEFAULT_IMAGE
    assert f"-t {DEFAULT_IMAGE}" in (REPO / "deploy" / "docker" / "Dockerfile").read_text()
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    applied = set(kustomization["resources"]) | {g["files"][0] for g in kustomization["configMapGenerator"]}
    assert applied | {"kustomization.yaml"} == {p.name for p in K8S.glob("*.yaml")}


def test_every_command_exists():
    checked = 0
    for doc in manifests():
        for container in containers(doc):
            command = container.get("command")
            if not command:
                continue
            checked += 1
            if command[0] == "ringrift-lake":
                build_parser().parse_args(command[1:])                 # the subcommand and its flags exist
            elif command[:3] == ["dagster", "api", "grpc"]:
                module = command[command.index("-m") + 1]
                assert importlib.util.find_spec(module) is not None, module
            else:
                assert shutil.which(command[0], path=str(Path(sys.executable).parent)), command[0]
    assert checked >= 4
    assert TrainLauncher(kind="k8s").command() == ["python", "-m", TRAIN_MODULE]
    assert importlib.util.find_spec(TRAIN_MODULE) is not None


def test_every_environment_name_is_read_by_the_code():
    read = env_names_read_by_code()
    given = set()
    for doc in manifests():
        given.update((doc.get("data") or {}) if doc["kind"] == "ConfigMap" and doc["metadata"]["name"] == "ringrift-env"
                     else {})
        given.update((doc.get("stringData") or {}) if doc["kind"] == "Secret" else {})
        for container in containers(doc):
            given.update(e["name"] for e in container.get("env") or [])
    assert given - read == set()
    instance_text = instance_yaml()["data"]["dagster.yaml"]
    referenced = set(re.findall(r"env: ([A-Z0-9_]+)", instance_text))
    assert referenced and referenced <= given                      # the instance's settings are all provided


def test_instance_config_validates_with_the_k8s_run_launcher(tmp_path, monkeypatch):
    from dagster._config import process_config
    from dagster._core.instance.config import dagster_instance_config
    from dagster_k8s import K8sRunLauncher

    (tmp_path / "dagster.yaml").write_text(instance_yaml()["data"]["dagster.yaml"])
    for name in ("DAGSTER_PG_HOST", "DAGSTER_PG_USERNAME", "DAGSTER_PG_PASSWORD", "DAGSTER_PG_DB"):
        monkeypatch.setenv(name, "x")
    monkeypatch.setenv("DAGSTER_PG_PORT", "5432")
    config, _ = dagster_instance_config(str(tmp_path))
    assert config["run_launcher"]["class"] == "K8sRunLauncher"
    checked = process_config(K8sRunLauncher.config_type(), config["run_launcher"]["config"])
    assert checked.success, checked.errors
    local = yaml.safe_load((REPO / "dagster_home" / "postgres" / "dagster.yaml").read_text())
    assert yaml.safe_load(instance_yaml()["data"]["dagster.yaml"])["storage"] == local["storage"]


def test_training_launcher_is_chosen_by_configuration(monkeypatch):
    import dagster as dg
    from dagster_k8s import PipesK8sClient
    from dagster_k8s.pipes import build_pod_body

    monkeypatch.delenv("RINGRIFT_TRAIN_LAUNCHER", raising=False)
    assert isinstance(TrainLauncher.from_env().client(), dg.PipesSubprocessClient)
    monkeypatch.setenv("RINGRIFT_TRAIN_LAUNCHER", "k8s")
    launcher = TrainLauncher.from_env()
    assert isinstance(launcher.client(), PipesK8sClient)
    meta, spec = launcher.pod()
    pod = build_pod_body("train-x", launcher.image, launcher.command(), {"RINGRIFT_LAKE": "s3://l/p"}, meta, spec)
    (container,) = pod.spec.containers
    assert container.image == DEFAULT_IMAGE and container.command == ["python", "-m", TRAIN_MODULE]
    assert str(container.resources.limits["nvidia.com/gpu"]) == "1" and pod.spec.restart_policy == "Never"
    assert pod.spec.node_selector and pod.spec.tolerations
    assert {e.name for e in container.env} >= {"RINGRIFT_LAKE"}
    monkeypatch.setenv("RINGRIFT_TRAIN_LAUNCHER", "slurm")
    with pytest.raises(ValueError, match="subprocess, k8s"):
        TrainLauncher.from_env().client()
