"""Where the training step runs, chosen by configuration: a local subprocess or a pod on a GPU node.

    RINGRIFT_TRAIN_LAUNCHER=subprocess   (default) `python -m training.pipes_train` beside the run, through
                                         Dagster's PipesSubprocessClient
    RINGRIFT_TRAIN_LAUNCHER=k8s          the same command in a Kubernetes pod through dagster-k8s'
                                         PipesK8sClient: image RINGRIFT_K8S_IMAGE, namespace
                                         RINGRIFT_K8S_NAMESPACE, pod spec from the template file
                                         RINGRIFT_K8S_TRAIN_POD (deploy/k8s/train-pod.yaml: GPU node
                                         selector, toleration, nvidia.com/gpu limit, lake env from the
                                         ConfigMap/Secret)

Either way the step talks Dagster Pipes (logs, the materialization) and reads the lake from its own
environment. dagster-k8s is imported only when `k8s` is chosen (`pip install '.[k8s]'`, in the image).
In a pod the lake's credentials come from the Secret named in the template, not from the run: only
RINGRIFT_LAKE is passed along.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import dagster as dg
import yaml
from pydantic import Field

REPO = Path(__file__).resolve().parents[1]
TRAIN_MODULE = "training.pipes_train"
DEFAULT_IMAGE = "ringrift-lake:0.1.0"       # deploy/docker/Dockerfile builds it; the manifests name it
DEFAULT_NAMESPACE = "ringrift"
DEFAULT_TRAIN_POD = str(REPO / "deploy" / "k8s" / "train-pod.yaml")
KINDS = ("subprocess", "k8s")


class TrainLauncher(dg.ConfigurableResource):
    kind: str = Field(default="subprocess", description="subprocess | k8s (RINGRIFT_TRAIN_LAUNCHER)")
    image: str = Field(default=DEFAULT_IMAGE, description="image of the training pod (RINGRIFT_K8S_IMAGE)")
    namespace: str = Field(default=DEFAULT_NAMESPACE, description="namespace of the pod (RINGRIFT_K8S_NAMESPACE)")
    pod_template: str = Field(default=DEFAULT_TRAIN_POD, description="Pod manifest whose metadata and spec the "
                                                                     "training pod starts from (RINGRIFT_K8S_TRAIN_POD)")

    @classmethod
    def from_env(cls) -> "TrainLauncher":
        env = os.environ
        return cls(kind=env.get("RINGRIFT_TRAIN_LAUNCHER") or "subprocess",
                   image=env.get("RINGRIFT_K8S_IMAGE") or DEFAULT_IMAGE,
                   namespace=env.get("RINGRIFT_K8S_NAMESPACE") or DEFAULT_NAMESPACE,
                   pod_template=env.get("RINGRIFT_K8S_TRAIN_POD") or DEFAULT_TRAIN_POD)

    def command(self) -> list[str]:
        python = sys.executable if self.kind == "subprocess" else "python"
        return [python, "-m", TRAIN_MODULE]

    def pod(self) -> tuple[dict, dict]:
        """(metadata, spec) of the training pod, from the template file."""
        with open(self.pod_template, encoding="utf-8") as handle:
            pod = yaml.safe_load(handle)
        if pod.get("kind") != "Pod":
            raise ValueError(f"{self.pod_template}: expected a Pod manifest, found kind {pod.get('kind')!r}")
        return pod.get("metadata") or {}, pod["spec"]

    def client(self):
        if self.kind == "subprocess":
            return dg.PipesSubprocessClient()
        if self.kind == "k8s":
            from dagster_k8s import PipesK8sClient

            return PipesK8sClient()
        raise ValueError(f"RINGRIFT_TRAIN_LAUNCHER={self.kind!r}: choose one of {', '.join(KINDS)}")

    def run(self, context, extras: dict, env: dict[str, str]):
        """Run the training step; the completed Pipes invocation."""
        client = self.client()
        if self.kind == "subprocess":
            return client.run(command=self.command(), context=context, extras=extras, env=env)
        meta, spec = self.pod()
        return client.run(context=context, extras=extras, image=self.image, command=self.command(),
                          namespace=self.namespace, env={"RINGRIFT_LAKE": env["RINGRIFT_LAKE"]},
                          base_pod_meta=meta, base_pod_spec=spec)
