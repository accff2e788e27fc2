"""Issue 22 §4: deploy/ is a Kustomize base of plain Kubernetes YAML, valid against the Kubernetes
schemas (kubernetes-validate, offline) and shaped as docs/operations.md describes."""

from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from kubernetes_validate.utils import latest_version

from sms_tracker.celery import QUEUE_KINDS

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def _kustomization() -> dict:
    return yaml.safe_load((DEPLOY / "kustomization.yaml").read_text())


def _resources() -> list[dict]:
    documents = []
    for name in _kustomization()["resources"]:
        documents += [doc for doc in yaml.safe_load_all((DEPLOY / name).read_text()) if doc]
    return documents


def _of_kind(kind: str) -> dict[str, dict]:
    return {doc["metadata"]["name"]: doc for doc in _resources() if doc["kind"] == kind}


def _containers(doc: dict) -> list[dict]:
    spec = doc["spec"]["template"]["spec"]
    return spec.get("initContainers", []) + spec["containers"]


def test_the_base_lists_every_manifest_file():
    listed = set(_kustomization()["resources"])
    files = {path.name for path in DEPLOY.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == files


@pytest.mark.parametrize("document", _resources(), ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_each_manifest_is_valid_against_the_kubernetes_schemas(document):
    # strict: a misspelt or misplaced field is an error, not silently ignored by the cluster.
    kubernetes_validate.validate(document, latest_version(), strict=True)


def test_an_invalid_manifest_is_refused():
    web = _of_kind("Deployment")["sms-tracker-web"]
    broken = {**web, "spec": {**web["spec"], "replicas": "two"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, latest_version(), strict=True)


def test_web_is_probed_on_healthz_served_and_scaled():
    web = _of_kind("Deployment")["sms-tracker-web"]
    container = web["spec"]["template"]["spec"]["containers"][0]
    for probe in ("readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/healthz/", probe
    assert container["command"][0] == "gunicorn"
    service = _of_kind("Service")["sms-tracker-web"]
    assert service["spec"]["selector"] == web["spec"]["selector"]["matchLabels"]
    ingress = _of_kind("Ingress")["sms-tracker"]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == "sms-tracker-web"
    hpa = _of_kind("HorizontalPodAutoscaler")["sms-tracker-web"]
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "sms-tracker-web",
    }
    assert hpa["spec"]["minReplicas"] >= 2


def test_one_worker_deployment_per_queue_and_one_beat():
    deployments = _of_kind("Deployment")
    consumed = {}
    for name, doc in deployments.items():
        command = doc["spec"]["template"]["spec"]["containers"][0]["command"]
        if command[:4] == ["celery", "-A", "sms_tracker", "worker"]:
            consumed[command[command.index("-Q") + 1]] = name
    assert sorted(consumed) == sorted(["celery", *QUEUE_KINDS])
    assert len(consumed) == sum(1 for name in deployments if name.startswith("sms-tracker-worker-"))
    beat = deployments["sms-tracker-beat"]
    assert beat["spec"]["replicas"] == 1 and beat["spec"]["strategy"]["type"] == "Recreate"


def test_migrations_run_in_a_job_and_web_waits_for_them():
    job = _of_kind("Job")["sms-tracker-migrate"]
    assert job["spec"]["template"]["spec"]["containers"][0]["command"][-2:] == ["migrate", "--noinput"]
    web = _of_kind("Deployment")["sms-tracker-web"]
    wait = web["spec"]["template"]["spec"]["initContainers"][0]
    assert "migrate --check" in " ".join(wait["command"])


def test_every_container_requests_resources_and_has_a_memory_limit():
    for doc in _resources():
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        for container in _containers(doc):
            resources = container["resources"]
            assert {"cpu", "memory"} <= resources["requests"].keys(), doc["metadata"]["name"]
            assert "memory" in resources["limits"], doc["metadata"]["name"]


def test_config_and_secret_are_referenced_and_the_secret_holds_placeholders_only():
    config = _of_kind("ConfigMap")["sms-tracker-config"]
    secret = _of_kind("Secret")["sms-tracker-secrets"]
    for value in secret["stringData"].values():
        # Either the placeholder itself, a URL whose only credential is the placeholder, or no credential.
        assert value == "change-me" or "change-me" in value or "@" not in value, value
    assert "SECRET_KEY" in secret["stringData"] and "SECRET_KEY" not in config["data"]
    for doc in _resources():
        if doc["kind"] in ("Deployment", "Job"):
            for container in _containers(doc):
                refs = {next(iter(ref.values()))["name"] for ref in container["envFrom"]}
                assert refs == {"sms-tracker-config", "sms-tracker-secrets"}


@pytest.mark.django_db
def test_the_probe_answers_whatever_host_the_kubelet_sends(client, settings):
    """The kubelet probes the pod's address, never a name in ALLOWED_HOSTS."""
    settings.ALLOWED_HOSTS = ["sms.example.com"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz/", HTTP_HOST="10.244.3.17:8000")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_only_web_collects_metrics_per_process_in_a_directory_it_mounts():
    """prometheus-client's multiprocess mode writes into PROMETHEUS_MULTIPROC_DIR from the first
    metric on: a process without that directory would fail at start."""
    config = _of_kind("ConfigMap")["sms-tracker-config"]
    assert "PROMETHEUS_MULTIPROC_DIR" not in config["data"]
    for doc in _resources():
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        for container in _containers(doc):
            env = {item["name"]: item["value"] for item in container.get("env", [])}
            mounts = {mount["mountPath"] for mount in container.get("volumeMounts", [])}
            if "PROMETHEUS_MULTIPROC_DIR" in env:
                assert doc["metadata"]["name"] == "sms-tracker-web"
                assert env["PROMETHEUS_MULTIPROC_DIR"] in mounts
