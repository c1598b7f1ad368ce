"""The hub configurations in hub/ are valid, offline: checked against schemas and real classes, not deployed.

* Zero to JupyterHub values: the chart's own JSON schema (vendored in schemas/, chart 4.4.0).
* The Littlest JupyterHub settings: TLJH's own schema (vendored in schemas/, TLJH 2.0.0).
* nbgrader settings: the traits of the installed nbgrader's classes.
* JupyterHub settings, service fields, roles and scopes: JupyterHub's classes when it is installed,
  otherwise the lists in jupyterhub_reference.py, read from JupyterHub 5.5.1's source.
* Kubernetes manifests: the fields each kind needs and the references between them (no cluster,
  no OpenAPI schema here), and the grading Job's shell command run with a stand-in ``course``.
* The names that must agree across files (course id, service, groups, volumes, image, paths).
"""

from __future__ import annotations

import json
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from traitlets.config import Config, Configurable
from traitlets.config.loader import LazyConfigValue, PyFileConfigLoader

from tests.hub import jupyterhub_reference as reference

ROOT = Path(__file__).resolve().parents[2]
HUB = ROOT / "hub"
SCHEMAS = Path(__file__).resolve().parent / "schemas"
Z2JH = HUB / "zero-to-jupyterhub"
TLJH = HUB / "littlest-jupyterhub"
COURSE_ID = "aws-messaging"
EXCHANGE = "/srv/nbgrader/exchange"
GRADER_CONFIG_DIR = "/opt/aws-messaging/grader-jupyter-config"

#: Settings of the course's nbgrader_config.py that nbgrader 0.9.6 ignores. Execute.allow_errors is
#: redeclared in nbgrader.preprocessors.Execute without config=True; harmless, its default is True.
KNOWN_NO_OPS = {"Execute": {"allow_errors"}}


# ---------------------------------------------------------------- helpers


def yaml_documents(path: Path) -> list:
    with path.open() as f:
        return [doc for doc in yaml.safe_load_all(f) if doc is not None]


def z2jh_values() -> dict:
    (values,) = yaml_documents(Z2JH / "config.yaml")
    return values


def manifests(name: str) -> list[dict]:
    return yaml_documents(Z2JH / name)


def one(docs: list[dict], kind: str) -> dict:
    (found,) = [d for d in docs if d["kind"] == kind]
    return found


def env_of(container: dict) -> dict:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container.get("env", [])}


def load_py_config(path: Path, env: dict[str, str], monkeypatch) -> Config:
    """Load a config file as traitlets does, in the given JUPYTERHUB_* environment."""
    for name in ("JUPYTERHUB_USER", "JUPYTERHUB_SERVICE_NAME", "AWS_MESSAGING_COURSE_ROOT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def load_tljh_snippet(tmp_path: Path) -> Config:
    """Load the snippet the way TLJH does: its jupyterhub_config.py has already set the culler
    service and the blocked users, then calls load_subconfig() on each jupyterhub_config.d file."""
    main = tmp_path / "jupyterhub_config.py"
    main.write_text(
        "c = get_config()\n"
        "c.JupyterHub.services = [{'name': 'cull-idle', 'admin': True, 'command': ['python3', '-m', 'jupyterhub_idle_culler']}]\n"
        "c.Authenticator.blocked_users = {'someone-banned'}\n"
        f"load_subconfig({str(TLJH / 'jupyterhub_config.d' / 'nbgrader.py')!r})\n"
    )
    config = PyFileConfigLoader(main.name, path=str(tmp_path)).load_config()
    # what JupyterHub does with a lazy .update()/.extend() on a trait nobody set before: apply it to the default
    for section in config.values():
        for key, value in section.items():
            if isinstance(value, LazyConfigValue):
                section[key] = value.get_value({} if key == "load_groups" else [])
    return config


def nbgrader_config_traits() -> dict[str, set[str]]:
    """Every configurable class nbgrader (or the course's own grading) defines, by the name config files
    use: its config traits."""
    import nbgrader.apps  # noqa: F401 - imports every nbgrader app, converter, preprocessor, exchange
    import nbgrader.auth  # noqa: F401

    import instructor.autograde.intake  # noqa: F401 - IntakeLimits, read by course grade

    traits: dict[str, set[str]] = {}
    pending = [Configurable]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith(("nbgrader.", "instructor.")):
            traits.setdefault(cls.__name__, set()).update(cls.class_trait_names(config=True))
    return traits


def jupyterhub_traits(section: str) -> frozenset[str]:
    """Config traits of JupyterHub's class ``section``: from JupyterHub if installed, else its source's list."""
    try:
        from jupyterhub.app import JupyterHub
        from jupyterhub.auth import Authenticator
    except ImportError:
        return {"JupyterHub": reference.JUPYTERHUB_TRAITS,
                "Authenticator": reference.AUTHENTICATOR_TRAITS}.get(section, frozenset())
    classes = {"JupyterHub": JupyterHub, "Authenticator": Authenticator}
    return frozenset(classes[section].class_trait_names(config=True)) if section in classes else frozenset()


def check_service(service: dict) -> None:
    unknown = set(service) - reference.SERVICE_KEYS
    assert not unknown, f"service {service.get('name')}: JupyterHub has no service field {sorted(unknown)}"


def check_roles(roles: list[dict]) -> None:
    for role in roles:
        assert set(role) <= reference.ROLE_KEYS, f"role {role['name']}: unknown keys {set(role) - reference.ROLE_KEYS}"
        assert reference.ROLE_NAME.match(role["name"]), f"JupyterHub refuses the role name {role['name']!r}"
        for scope in role["scopes"]:
            assert reference.scope_error(scope) is None, f"role {role['name']}: {reference.scope_error(scope)}"
        assert role.get("users") or role.get("groups") or role.get("services") or role["name"] == "server", \
            f"role {role['name']} is given to nobody"


def role_list(z2jh_roles: dict) -> list[dict]:
    """The chart's dict of roles as JupyterHub's list (what the chart's jupyterhub_config.py does)."""
    return [{"name": name, **role} for name, role in z2jh_roles.items()]


def without_required(schema):
    """The schema minus every ``required`` list: config.yaml is an overlay, and Helm validates it only
    after merging it with the chart's defaults, which supply the required keys."""
    if isinstance(schema, dict):
        return {k: without_required(v) for k, v in schema.items() if not (k == "required" and isinstance(v, list))}
    if isinstance(schema, list):
        return [without_required(v) for v in schema]
    return schema


# ---------------------------------------------------------------- files parse


def test_every_yaml_and_json_file_parses():
    """Does every YAML and JSON file under hub/ (and each vendored schema) parse, with no empty file?"""
    yaml_files = sorted(HUB.rglob("*.yaml")) + sorted(SCHEMAS.glob("*.yaml"))
    assert len(yaml_files) >= 6
    for path in yaml_files:
        assert yaml_documents(path), f"{path} holds no YAML document"
    json_files = sorted(HUB.rglob("*.json"))
    assert len(json_files) >= 2
    for path in json_files:
        assert json.loads(path.read_text())


def test_install_script_is_valid_bash_and_executable():
    """Does install.sh pass `bash -n`, run as an executable, and stop on the first error?"""
    script = TLJH / "install.sh"
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert os.access(script, os.X_OK)
    assert "set -euo pipefail" in script.read_text()


# ---------------------------------------------------------------- Zero to JupyterHub


def test_z2jh_values_validate_against_the_charts_schema():
    """Does config.yaml pass the chart's own values schema, which rejects unknown keys?"""
    header = (SCHEMAS / "z2jh-values.schema.yaml").read_text().splitlines()[:8]
    assert any("zero-to-jupyterhub-k8s" in line for line in header) and any("BSD-3-Clause" in line for line in header)
    schema = without_required(yaml_documents(SCHEMAS / "z2jh-values.schema.yaml")[0])
    validator = jsonschema.Draft7Validator(schema)
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(z2jh_values())]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("path, typo", [
    (("singleuser",), "memroy"),
    (("hub",), "servics"),
    (("singleuser", "storage"), "extraVolume"),
])
def test_the_schema_catches_a_misspelled_key(path, typo):
    """Control: does the same validation reject a misspelled key where config.yaml sets one?"""
    values = z2jh_values()
    node = values
    for key in path:
        node = node[key]
    node[typo] = {}
    schema = without_required(yaml_documents(SCHEMAS / "z2jh-values.schema.yaml")[0])
    assert list(jsonschema.Draft7Validator(schema).iter_errors(values))


def test_z2jh_jupyterhub_settings_services_and_roles_are_real():
    """Are hub.config's traits, the service's fields, the roles and their scopes all JupyterHub's own?"""
    hub = z2jh_values()["hub"]
    for section, settings in hub["config"].items():
        unknown = set(settings) - jupyterhub_traits(section)
        assert not unknown, f"hub.config.{section}: JupyterHub has no {sorted(unknown)}"
    for name, service in hub["services"].items():
        check_service({"name": name, **service})
    check_roles(role_list(hub["loadRoles"]))
    for group, spec in hub["config"]["JupyterHub"]["load_groups"].items():
        assert set(spec) <= {"users", "properties"} and isinstance(spec["users"], list), group


def test_z2jh_exchange_volume_and_limits():
    """Do student servers mount the exchange from storage.yaml's PVC where nbgrader looks, with sane limits?"""
    singleuser = z2jh_values()["singleuser"]
    storage = singleuser["storage"]
    (volume,) = storage["extraVolumes"].values()
    (mount,) = storage["extraVolumeMounts"].values()
    assert mount["name"] == volume["name"] and mount["mountPath"] == EXCHANGE
    claims = {d["metadata"]["name"]: d for d in manifests("storage.yaml") if d["kind"] == "PersistentVolumeClaim"}
    assert claims[volume["persistentVolumeClaim"]["claimName"]]["spec"]["accessModes"] == ["ReadWriteMany"]
    assert singleuser["memory"] == {"guarantee": "512M", "limit": "1G"}
    assert 0 < singleuser["cpu"]["guarantee"] <= singleuser["cpu"]["limit"]


# ---------------------------------------------------------------- Kubernetes manifests


def test_manifests_have_the_fields_their_kind_needs():
    """Does every object have apiVersion, kind and a name; every pod its containers, images and volumes?"""
    api_versions = {"PersistentVolumeClaim": "v1", "Service": "v1", "Deployment": "apps/v1", "Job": "batch/v1"}
    for name in ("storage.yaml", "formgrader.yaml", "grade-shards-job.yaml"):
        for doc in manifests(name):
            assert doc["apiVersion"] == api_versions[doc["kind"]], f"{name}: {doc['kind']}"
            assert doc["metadata"].get("name") or doc["metadata"].get("generateName"), name
            if doc["kind"] in ("Deployment", "Job"):
                pod = doc["spec"]["template"]["spec"]
                volumes = {v["name"] for v in pod["volumes"]}
                for container in pod.get("initContainers", []) + pod["containers"]:
                    assert container["name"] and container["image"]
                    mounts = {m["name"] for m in container.get("volumeMounts", [])}
                    assert mounts <= volumes, f"{name}: {container['name']} mounts undeclared {mounts - volumes}"
                    resources = container.get("resources")
                    if resources:
                        assert set(resources["requests"]) == set(resources["limits"])
            if doc["kind"] == "PersistentVolumeClaim":
                assert doc["spec"]["accessModes"] == ["ReadWriteMany"] and doc["spec"]["resources"]["requests"]["storage"]


def test_formgrader_deployment_is_the_hub_service():
    """Is formgrader.yaml the external service config.yaml names: same host, port, prefix, token and names?"""
    values = z2jh_values()
    (service_name,) = values["hub"]["services"]
    url = re.fullmatch(r"http://([a-z0-9-]+):(\d+)", values["hub"]["services"][service_name]["url"])
    docs = manifests("formgrader.yaml")
    deployment, service = one(docs, "Deployment"), one(docs, "Service")
    assert service["metadata"]["name"] == url.group(1)
    assert [p["port"] for p in service["spec"]["ports"]] == [int(url.group(2))]
    template = deployment["spec"]["template"]
    assert service["spec"]["selector"].items() <= template["metadata"]["labels"].items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= template["metadata"]["labels"].items()
    assert template["metadata"]["labels"]["hub.jupyter.org/network-access-hub"] == "true"
    assert deployment["spec"]["replicas"] == 1 and deployment["spec"]["strategy"]["type"] == "Recreate"
    (container,) = template["spec"]["containers"]
    assert container["args"] == ["jupyterhub-singleuser"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert service["spec"]["ports"][0]["targetPort"] in ports
    env = env_of(container)
    prefix = f"/services/{service_name}/"
    assert env["JUPYTERHUB_SERVICE_NAME"] == service_name == COURSE_ID
    assert env["JUPYTERHUB_SERVICE_PREFIX"] == prefix
    assert env["JUPYTERHUB_SERVICE_URL"].endswith(f":{ports['http']}/")
    assert env["JUPYTERHUB_CLIENT_ID"] == f"service-{service_name}"
    assert env["JUPYTERHUB_OAUTH_CALLBACK_URL"] == prefix + "oauth_callback"
    assert json.loads(env["JUPYTERHUB_OAUTH_ACCESS_SCOPES"]) == [f"access:services!service={service_name}"]
    assert env["JUPYTERHUB_API_TOKEN"]["secretKeyRef"] == {"name": "hub", "key": f"hub.services.{service_name}.apiToken"}
    assert env["JUPYTERHUB_API_URL"] == "http://hub:8081/hub/api"
    assert env["JUPYTER_CONFIG_PATH"] == GRADER_CONFIG_DIR
    assert container["readinessProbe"]["httpGet"]["path"].startswith(prefix)
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
    volumes = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in template["spec"]["volumes"]}
    assert volumes[mounts[EXCHANGE]] == "nbgrader-exchange" and volumes[mounts["/home/jovyan"]] == "aws-messaging-course"


def test_grading_job_is_an_indexed_job_of_course_grade_shards():
    """Is the Job Indexed, with N completions, sane parallelism, and does each pod grade shard K+1/N?"""
    (job,) = manifests("grade-shards-job.yaml")
    assert job["apiVersion"] == "batch/v1" and job["kind"] == "Job"
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    assert isinstance(spec["completions"], int) and spec["completions"] >= 2
    assert 1 <= spec["parallelism"] <= spec["completions"]
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] == "Never"  # Kubernetes requires it with backoffLimitPerIndex
    (container,) = pod["containers"]
    env = env_of(container)
    assert int(env["SHARDS"]) == spec["completions"]
    script = " ".join(container["command"] + container["args"])
    assert "course grade" in script and "--shard" in script and "JOB_COMPLETION_INDEX" in script
    mounted = [m["mountPath"] for m in container["volumeMounts"]]
    assert any(container["workingDir"].startswith(path) for path in mounted), "the course root is not on a volume"


def test_grading_jobs_pods_ask_for_every_shard_once(tmp_path):
    """Run the Job's shell command for each index with a stand-in `course`: shards 1/N..N/N, each once."""
    (job,) = manifests("grade-shards-job.yaml")
    (container,) = job["spec"]["template"]["spec"]["containers"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "course").write_text('#!/bin/sh\necho "$@"\n')
    (bin_dir / "course").chmod(0o755)
    env = {**env_of(container), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    calls = []
    for index in range(job["spec"]["completions"]):
        result = subprocess.run(container["command"] + container["args"], env={**env, "JOB_COMPLETION_INDEX": str(index)},
                                capture_output=True, text=True, check=True)
        calls.append(result.stdout.splitlines()[-1].split())
    count = job["spec"]["completions"]
    assert calls == [["grade", env["ASSIGNMENT"], "--shard", f"{k}/{count}", "--jobs", env["JOBS"]]
                     for k in range(1, count + 1)]


def test_one_image_everywhere_built_by_the_dockerfile():
    """Do students, the grader and the Job run one image, built with the course and the hub's configs?"""
    image = z2jh_values()["singleuser"]["image"]
    tagged = f"{image['name']}:{image['tag']}"
    pods = [one(manifests("formgrader.yaml"), "Deployment"), one(manifests("grade-shards-job.yaml"), "Job")]
    for doc in pods:
        pod = doc["spec"]["template"]["spec"]
        assert {c["image"] for c in pod.get("initContainers", []) + pod["containers"]} == {tagged}
    dockerfile = (Z2JH / "Dockerfile").read_text()
    copies = re.findall(r"^COPY (?:--\S+ )*(.+) (\S+)$", dockerfile, re.M)
    for sources, _ in copies:
        for source in sources.split():
            assert (ROOT / source).exists(), f"Dockerfile copies {source}, which is not in the repository"
    assert ("hub/nbgrader_config.py", "/etc/jupyter/nbgrader_config.py") in copies
    assert ("hub/grader-jupyter-config", GRADER_CONFIG_DIR) in copies
    assert re.search(r"^RUN pip install --no-cache-dir /tmp/aws-messaging-course", dockerfile, re.M)
    assert "disable --level=sys_prefix @jupyter/nbgrader:formgrader" in dockerfile
    assert re.search(r"^FROM \S+:python-3\.1[1-9]", dockerfile, re.M)  # pyproject: requires-python >= 3.11


# ---------------------------------------------------------------- nbgrader configs


def unknown_nbgrader_settings(config: Config) -> list[str]:
    traits = nbgrader_config_traits()
    return [f"{section}.{name}" for section, settings in config.items() for name in settings
            if name not in traits.get(section, ()) and name not in KNOWN_NO_OPS.get(section, ())]


def test_the_trait_checks_catch_a_misspelled_setting(tmp_path, monkeypatch):
    """Control: are a misspelled nbgrader trait, an unknown class and a misspelled JupyterHub trait caught?"""
    (tmp_path / "typo_config.py").write_text(
        "c = get_config()\nc.Exchange.roots = '/x'\nc.CourseDirectorie.course_id = 'x'\nc.Exchange.root = '/x'\n")
    config = load_py_config(tmp_path / "typo_config.py", {}, monkeypatch)
    assert unknown_nbgrader_settings(config) == ["Exchange.roots", "CourseDirectorie.course_id"]
    assert "service" not in jupyterhub_traits("JupyterHub") and "services" in jupyterhub_traits("JupyterHub")
    assert reference.scope_error("access:service!service=x") and reference.scope_error("groups!groupe=x")


@pytest.mark.parametrize("who, env", [
    ("no hub", {}),
    ("a student", {"JUPYTERHUB_USER": "alice"}),
    ("the grader service", {"JUPYTERHUB_SERVICE_NAME": COURSE_ID, "JUPYTERHUB_USER": f"grader-{COURSE_ID}"}),
])
def test_hub_nbgrader_config_sets_only_real_nbgrader_traits(who, env, monkeypatch):
    """Does hub/nbgrader_config.py load and set only traits nbgrader has, in every kind of server?"""
    config = load_py_config(HUB / "nbgrader_config.py", env, monkeypatch)
    assert not unknown_nbgrader_settings(config)
    from nbgrader.auth import BaseAuthPlugin

    assert issubclass(config.Authenticator.plugin_class, BaseAuthPlugin)
    assert config.CourseDirectory.course_id == COURSE_ID
    assert config.Exchange.root == EXCHANGE


def test_hub_nbgrader_config_tells_grader_from_student(monkeypatch):
    """Does the grader get the course root in its home, and a student submit under their hub name?"""
    grader = load_py_config(HUB / "nbgrader_config.py", {"JUPYTERHUB_SERVICE_NAME": COURSE_ID,
                                                        "JUPYTERHUB_USER": f"grader-{COURSE_ID}"}, monkeypatch)
    assert grader.CourseDirectory.root == os.path.expanduser("~/aws-messaging")
    assert "student_id" not in grader.CourseDirectory
    student = load_py_config(HUB / "nbgrader_config.py", {"JUPYTERHUB_USER": "alice"}, monkeypatch)
    assert student.CourseDirectory.student_id == "alice" and "root" not in student.CourseDirectory


def test_known_no_ops_are_harmless():
    """Is every ignored setting of the course config already nbgrader's default, so ignoring it changes nothing?"""
    from nbgrader.preprocessors import Execute

    if "allow_errors" not in Execute.class_trait_names(config=True):
        assert Execute.class_traits()["allow_errors"].default_value is True


def test_course_config_agrees_with_the_hub_config(monkeypatch):
    """Does the course's own nbgrader_config.py use only real traits, the same course id, and leave the
    exchange to the hub's file (so the two never disagree)?"""
    course = load_py_config(ROOT / "nbgrader_config.py", {}, monkeypatch)
    assert not unknown_nbgrader_settings(course)
    hub = load_py_config(HUB / "nbgrader_config.py", {}, monkeypatch)
    assert course.CourseDirectory.course_id == hub.CourseDirectory.course_id == COURSE_ID
    assert "Exchange" not in course and "Authenticator" not in course


def test_grader_config_dir_turns_the_instructor_extensions_back_on(tmp_path, monkeypatch):
    """With formgrader and create-assignment disabled below it, does JUPYTER_CONFIG_PATH=grader-jupyter-config
    enable them again (Jupyter's own loaders decide)? Without it, do they stay off (the control)?"""
    from jupyter_server.serverapp import ServerApp
    from jupyterlab_server.config import get_static_page_config

    user = tmp_path / "user-config"
    (user / "labconfig").mkdir(parents=True)
    (user / "jupyter_server_config.d").mkdir()
    (user / "labconfig" / "page_config.json").write_text(json.dumps({"disabledExtensions": {
        "@jupyter/nbgrader:formgrader": True, "@jupyter/nbgrader:create-assignment": True}}))
    (user / "jupyter_server_config.d" / "off.json").write_text(json.dumps(
        {"ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": False}}}))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(user))
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "0")  # the user level outranks the environment's

    def state() -> tuple[bool, set[str]]:
        app = ServerApp()
        app.load_config_file()
        app.find_server_extensions()
        disabled = {k for k, v in get_static_page_config(level="all").get("disabledExtensions", {}).items() if v}
        return bool(app.jpserver_extensions.get("nbgrader.server_extensions.formgrader")), disabled

    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    assert state() == (False, {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"})
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(HUB / "grader-jupyter-config"))
    assert state() == (True, set())


# ---------------------------------------------------------------- The Littlest JupyterHub


def test_tljh_snippet_sets_only_real_jupyterhub_settings(tmp_path):
    """Loaded as TLJH loads it, does the snippet keep TLJH's culler, and use only JupyterHub's traits,
    service fields, role keys and scopes?"""
    config = load_tljh_snippet(tmp_path)
    for section, settings in config.items():
        unknown = set(settings) - jupyterhub_traits(section)
        assert not unknown, f"{section}: JupyterHub has no {sorted(unknown)}"
    services = config.JupyterHub.services
    assert [s["name"] for s in services] == ["cull-idle", COURSE_ID]
    for service in services:
        check_service(service)
    check_roles(config.JupyterHub.load_roles)
    assert config.Authenticator.blocked_users == {"someone-banned", f"grader-{COURSE_ID}"}


def test_tljh_service_runs_the_grader_server_from_the_user_environment(tmp_path):
    """Is the TLJH service nbgrader's shared grader server: run by the grader, from TLJH's user env,
    with the grader's Jupyter config?"""
    service = load_tljh_snippet(tmp_path).JupyterHub.services[-1]
    assert service["command"] == ["/opt/tljh/user/bin/jupyterhub-singleuser"]
    assert service["user"] == f"grader-{COURSE_ID}" and service["cwd"] == f"/home/grader-{COURSE_ID}"
    assert service["environment"]["JUPYTER_CONFIG_PATH"] == GRADER_CONFIG_DIR
    assert service["environment"]["PATH"].startswith("/opt/tljh/user/bin:")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", service["url"])


def test_tljh_and_z2jh_give_the_same_groups_and_roles(tmp_path):
    """Do both hubs define the same course groups, and the same roles with the same scopes and holders?"""
    tljh = load_tljh_snippet(tmp_path).JupyterHub
    z2jh = z2jh_values()["hub"]

    def normal(roles):
        return {r["name"]: {k: sorted(v) if isinstance(v, list) else v for k, v in r.items()} for r in roles}

    assert normal(tljh.load_roles) == normal(role_list(z2jh["loadRoles"]))
    assert tljh.load_groups == z2jh["config"]["JupyterHub"]["load_groups"]
    assert set(tljh.load_groups) == {f"formgrade-{COURSE_ID}", f"nbgrader-{COURSE_ID}"}
    assert f"grader-{COURSE_ID}" in tljh.load_groups[f"formgrade-{COURSE_ID}"]["users"]
    assert list(z2jh["services"]) == [tljh.services[-1]["name"]] == [COURSE_ID]


def test_tljh_config_validates_against_tljh_schema():
    """Does config.yaml pass the schema tljh-config validates against, with known top-level keys?"""
    schema = runpy.run_path(str(SCHEMAS / "tljh_config_schema.py"))["config_schema"]
    (config,) = yaml_documents(TLJH / "config.yaml")
    jsonschema.validate(config, schema, cls=jsonschema.Draft7Validator)
    # TLJH's schema puts "additionalProperties": False inside "properties", so check the top level here
    assert set(config) <= set(schema["properties"]) - {"additionalProperties"}


def test_install_script_applies_each_setting_with_tljh_config(tmp_path):
    """Does install.sh's embedded reader turn config.yaml into one `tljh-config set key value` per setting?"""
    script = (TLJH / "install.sh").read_text()
    reader = re.search(r"<<'PY'[^\n]*\n(.*?)\nPY\n", script, re.S).group(1)
    (tmp_path / "reader.py").write_text(reader)
    result = subprocess.run([sys.executable, str(tmp_path / "reader.py"), str(TLJH / "config.yaml")],
                            capture_output=True, text=True, check=True)
    pairs = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert pairs == {"user_environment.default_app": "jupyterlab", "limits.memory": "1G", "limits.cpu": "1",
                     "services.cull.timeout": "3600"}


def test_install_script_uses_the_paths_the_configs_expect():
    """Does install.sh put the exchange, the configs and the grader where the other files look for them?"""
    script = (TLJH / "install.sh").read_text()
    assert f"EXCHANGE={EXCHANGE}\n" in script and 'install -d -m 777 "${EXCHANGE}"' in script
    assert f"GRADER_CONFIG={GRADER_CONFIG_DIR}\n" in script
    assert '"${HUB_DIR}/nbgrader_config.py" /etc/jupyter/nbgrader_config.py' in script
    assert f"COURSE_ID={COURSE_ID}\n" in script and 'GRADER="grader-${COURSE_ID}"' in script
    assert '"${TLJH}/config/jupyterhub_config.d/nbgrader.py"' in script


# ---------------------------------------------------------------- the guide


def test_instructor_guide_covers_every_hub_file_and_the_grading_round():
    """Does docs/instructor.md name every file in hub/ and each step of a grading round?"""
    guide = (ROOT / "docs" / "instructor.md").read_text()
    for path in HUB.rglob("*"):
        if path.is_file() and path.parent.name not in ("labconfig", "jupyter_server_config.d") and path.name != "README.md":
            assert str(path.relative_to(ROOT)) in guide, f"the guide does not mention {path.relative_to(ROOT)}"
    for step in ("course release", "nbgrader release_assignment", "nbgrader collect", "course grade",
                 "--shard", "--merge", "formgrader", "nbgrader generate_feedback", "nbgrader release_feedback",
                 "nbgrader export", "submitted/<student>/"):
        assert step in guide, step
