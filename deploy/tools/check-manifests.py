#!/usr/bin/env python3
"""Policy checks on the deployment files that no schema catches: security contexts, probes, GPU requests,
selectors that really select, NetworkPolicies that keep the GPU node private, compose secrets and health
conditions, image hygiene. Prints one line per failed check and "checks: N passed, N failed".

  check-manifests.py kubernetes MANIFESTS.yaml   (the output of `kubectl kustomize`)
  check-manifests.py compose COMPOSE.yaml
  check-manifests.py dockerfile FILE.Dockerfile
"""
import re
import sys

import yaml

results = []


def check(ok, what):
    results.append((bool(ok), what))


def pod_specs(objects):
    for o in objects:
        if o["kind"] in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
            yield o, o["spec"]["template"]


def labels_match(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def kubernetes(path):
    with open(path, encoding="utf-8") as f:
        objects = [o for o in yaml.safe_load_all(f) if o]
    by_kind = {}
    for o in objects:
        by_kind.setdefault(o["kind"], []).append(o)
    configmaps = {o["metadata"]["name"] for o in by_kind.get("ConfigMap", [])}
    for owner, template in pod_specs(objects):
        name, spec = owner["metadata"]["name"], template["spec"]
        pod_sc = spec.get("securityContext", {})
        check(pod_sc.get("runAsNonRoot") is True, f"{name}: pod runAsNonRoot")
        check(pod_sc.get("seccompProfile", {}).get("type") == "RuntimeDefault", f"{name}: seccomp RuntimeDefault")
        check(spec.get("automountServiceAccountToken") is False, f"{name}: no service account token")
        for c in spec["containers"]:
            sc, cname = c.get("securityContext", {}), f"{name}/{c['name']}"
            check(sc.get("allowPrivilegeEscalation") is False, f"{cname}: allowPrivilegeEscalation false")
            check(sc.get("readOnlyRootFilesystem") is True, f"{cname}: read-only root file system")
            check("ALL" in sc.get("capabilities", {}).get("drop", []), f"{cname}: drops ALL capabilities")
            check("readinessProbe" in c and "livenessProbe" in c, f"{cname}: readiness and liveness probes")
            check(c.get("resources", {}).get("requests"), f"{cname}: resource requests")
            check("/" not in c["image"].split(":")[0], f"{cname}: image named without a registry host")
            mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
            check("/tmp" in mounts, f"{cname}: writable /tmp volume (the root file system is read-only)")
            for ref in c.get("envFrom", []):
                cm = ref.get("configMapRef", {}).get("name")
                check(cm is None or cm in configmaps, f"{cname}: ConfigMap {cm} exists")
            ports = {p.get("name") for p in c.get("ports", [])}
            for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                port = c.get(probe, {}).get("httpGet", {}).get("port")
                check(port is None or isinstance(port, int) or port in ports, f"{cname}: {probe} port {port} is declared")
        pdbs = [p for p in by_kind.get("PodDisruptionBudget", [])
                if labels_match(p["spec"]["selector"]["matchLabels"], template["metadata"]["labels"])]
        check(pdbs, f"{name}: a PodDisruptionBudget selects its pods")

    node = next(o for o in by_kind["Deployment"] if o["metadata"]["name"] == "llavarad-node")
    node_labels = node["spec"]["template"]["metadata"]["labels"]
    node_container = node["spec"]["template"]["spec"]["containers"][0]
    res = node_container["resources"]
    check(res.get("limits", {}).get("nvidia.com/gpu") == 1 and res.get("requests", {}).get("nvidia.com/gpu") == 1,
          "node: requests and limits one nvidia.com/gpu")
    readiness = node_container["readinessProbe"]
    check(readiness.get("grpc", {}).get("service") == "llavarad.v1.ReportGenerator"
          or readiness.get("httpGet", {}).get("path") == "/health/ready", "node: readiness on the report service's health")
    worker = next(o for o in by_kind["Deployment"] if o["metadata"]["name"] == "llavarad-worker")
    worker_labels = worker["spec"]["template"]["metadata"]["labels"]
    check(worker["spec"]["replicas"] >= 2, "worker: several replicas")
    worker_env = next(cm for cm in by_kind["ConfigMap"] if cm["metadata"]["name"] == "llavarad-worker")["data"]
    check(worker_env.get("JobStore__Provider") == "postgresql", "worker: PostgreSQL job store (replicas share the queue)")

    for svc in by_kind.get("Service", []):
        selected = [o for o, t in pod_specs(objects) if labels_match(svc["spec"]["selector"], t["metadata"]["labels"])]
        check(selected, f"service {svc['metadata']['name']}: selects a workload")

    policies = by_kind.get("NetworkPolicy", [])
    check(any(p["spec"]["podSelector"] == {} and "Ingress" in p["spec"]["policyTypes"] and not p["spec"].get("ingress")
              for p in policies), "network: default deny ingress")
    node_rules = [r for p in policies if labels_match(p["spec"]["podSelector"].get("matchLabels"), node_labels)
                  for r in p["spec"].get("ingress", [])]
    grpc_rules = [r for r in node_rules if any(port.get("port") == 50051 for port in r.get("ports", []))]
    check(grpc_rules and all(all(labels_match(peer.get("podSelector", {}).get("matchLabels"), worker_labels)
                                 and "namespaceSelector" not in peer and "ipBlock" not in peer for peer in r["from"])
                             for r in grpc_rules), "network: only worker pods reach the node's gRPC port")
    check(all(r.get("ports") for r in node_rules), "network: every rule into the node names its ports")

    for hpa in by_kind.get("HorizontalPodAutoscaler", []):
        target = hpa["spec"]["scaleTargetRef"]["name"]
        check(any(o["metadata"]["name"] == target for o in by_kind["Deployment"]), f"hpa: target {target} exists")
        check(any(m["type"] in ("External", "Pods") for m in hpa["spec"]["metrics"]), "hpa: scales on a queue metric")
    check(by_kind.get("HorizontalPodAutoscaler"), "hpa: present")


def compose(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    services, declared = doc["services"], set(doc.get("secrets", {}))
    for name, s in services.items():
        for secret in s.get("secrets", []):
            source = secret if isinstance(secret, str) else secret["source"]
            check(source in declared, f"{name}: secret {source} is declared")
        for dep, cond in (s.get("depends_on") or {}).items():
            c = cond["condition"]
            check(c != "service_healthy" or "healthcheck" in services[dep], f"{name}: {dep} has the healthcheck it waits for")
        env = s.get("environment") or {}
        for key, value in env.items():
            check(not re.search(r"PASSWORD|SECRET|TOKEN|PRIVATEKEY", key.upper()) or key.endswith("_FILE"),
                  f"{name}: {key} is not a literal secret")
        if "build" in s:
            check(s.get("read_only") is True, f"{name}: read-only root file system")
            check("ALL" in s.get("cap_drop", []), f"{name}: drops ALL capabilities")
    for name in ("orthanc", "fhir", "postgres", "node", "worker", "load-samples"):
        check(name in services, f"compose: service {name}")
    check(services["load-samples"].get("restart") == "no", "load-samples: one-shot")
    check(services["worker"]["depends_on"]["load-samples"]["condition"] == "service_completed_successfully",
          "worker: starts after the loader succeeded")
    check(doc["networks"]["inference"].get("internal") is True and services["node"]["networks"] == ["inference"],
          "node: only on the internal network the worker shares")
    check(not services["node"].get("ports"), "node: no published port")
    check(any(v.endswith(":/models:ro") for v in services["node"]["volumes"]), "node: model directory mounted read-only")


def dockerfile(path):
    with open(path, encoding="utf-8") as f:
        text = re.sub(r"\\\n", " ", f.read())
    final = text.split("\nFROM ")[-1]
    user = re.findall(r"^USER\s+(\S+)", final, re.M)
    check(user and user[-1].split(":")[0] not in ("0", "root"), f"{path}: final stage runs as a non-root user")
    check(re.search(r"^HEALTHCHECK\s", final, re.M), f"{path}: HEALTHCHECK")
    check(not re.search(r"^ENV\s+\S*(PASSWORD|SECRET|TOKEN|PrivateKey)", final, re.M | re.I), f"{path}: no secret in ENV")
    check(not re.search(r"^(COPY|ADD)\s.*\b(models?|\.safetensors|\.pem|\.key)\b", text, re.M | re.I),
          f"{path}: no model or key copied in")
    check(all(len(line.split()) == 2 for line in re.findall(r"^ENV\s.*$", final, re.M)),
          f"{path}: one KEY=value per ENV line (the deploy tests read them)")


def main():
    kind, path = sys.argv[1], sys.argv[2]
    {"kubernetes": kubernetes, "compose": compose, "dockerfile": dockerfile}[kind](path)
    failed = [what for ok, what in results if not ok]
    for what in failed:
        print(f"FAILED {what}")
    print(f"checks: {len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
