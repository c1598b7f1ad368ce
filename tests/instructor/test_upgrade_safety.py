"""Is every third-party attribute that instructor/ overrides, patches or leans on still there, as it was?

The grading code subclasses nbclient's and jupyter_client's private methods and replaces two of
nbgrader's module functions. An upgrade that renames or reshapes one of them would not fail loudly:
an override of a method that is no longer called simply stops working (a dead kernel scoring full
marks again). Each row below names one such attribute and the parameter names instructor/ relies on;
a failure names the package, its installed version and the attribute. The packages are pinned to
these minor versions in pyproject.toml; a row changes only together with its pin.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: (distribution, module, attribute path, the parameter names instructor/ relies on, or None: it must exist)
ATTRIBUTES = [
    # instructor/scoring.py: PolicyExecute
    ("nbgrader", "nbgrader.preprocessors", "Execute", None),
    ("nbgrader", "nbgrader.preprocessors", "Execute.interrupt_on_timeout", None),
    ("nbgrader", "nbgrader.preprocessors", "Execute.error_on_timeout", None),
    ("nbclient", "nbclient.client", "NotebookClient.async_start_new_kernel", ["self", "kwargs"]),
    ("nbclient", "nbclient.client", "NotebookClient.start_new_kernel", None),
    ("nbclient", "nbclient.client", "NotebookClient._async_poll_for_reply",
     ["self", "msg_id", "cell", "timeout", "task_poll_output_msg", "task_poll_kernel_alive"]),
    ("nbclient", "nbclient.client", "NotebookClient._async_handle_timeout", ["self", "timeout", "cell"]),
    ("nbclient", "nbclient.client", "NotebookClient.output", ["self", "outs", "msg", "display_id", "cell_index"]),
    ("nbclient", "nbclient.util", "run_sync", ["coro"]),
    ("nbclient", "nbclient.exceptions", "CellTimeoutError", None),
    ("nbclient", "nbclient.exceptions", "DeadKernelError", None),
    ("nbconvert", "nbconvert.preprocessors", "ExecutePreprocessor.preprocess", ["self", "nb", "resources", "km"]),
    ("nbconvert", "nbconvert.preprocessors", "ExecutePreprocessor.preprocess_cell",
     ["self", "cell", "resources", "index"]),
    ("jupyter_client", "jupyter_client.manager", "KernelManager._async_kill_kernel", ["self", "restart"]),
    # instructor/autograde/execute.py: GuardedExecute
    ("nbgrader", "nbgrader.preprocessors", "Execute.extra_arguments", None),
    ("nbclient", "nbclient.client", "NotebookClient.kernel_manager_class", None),
    # instructor/autograde/zygote.py
    ("jupyter_client", "jupyter_client.provisioning", "LocalProvisioner.launch_kernel", ["self", "cmd", "kwargs"]),
    ("jupyter_client", "jupyter_client.provisioning", "LocalProvisioner.connection_info", None),
    ("jupyter_client", "jupyter_client.client", "KernelClient._async_wait_for_ready", ["self", "timeout"]),
    ("jupyter_client", "jupyter_client.asynchronous", "AsyncKernelClient.wait_for_ready", ["self", "timeout"]),
    ("jupyter_client", "jupyter_client.manager", "KernelManager._async_pre_start_kernel",
     ["self", "transport_encryption", "kw"]),
    ("jupyter_client", "jupyter_client.manager", "AsyncKernelManager.client_class", None),
    ("jupyter_client", "jupyter_client.manager", "AsyncKernelManager.client_factory", None),
    ("jupyter_client", "jupyter_client.manager", "KernelManager.provisioner", None),
    ("ipykernel", "ipykernel.kernelapp", "IPKernelApp.launch_instance", None),
    # instructor/autograde/contained_kernel.py: kernels in bubblewrap, over ipc, interrupted by message
    ("jupyter_client", "jupyter_client.provisioning", "LocalProvisioner.cleanup", ["self", "restart"]),
    ("jupyter_client", "jupyter_client.manager", "KernelManager._async_launch_kernel", ["self", "kernel_cmd", "kw"]),
    ("jupyter_client", "jupyter_client.manager", "KernelManager.transport", None),
    ("jupyter_client", "jupyter_client.manager", "KernelManager.ip", None),
    ("jupyter_client", "jupyter_client.manager", "KernelManager.connection_file", None),
    ("jupyter_client", "jupyter_client.kernelspec", "KernelSpec.interrupt_mode", None),
    ("ipykernel", "ipykernel.kernelbase", "Kernel.interrupt_request", ["self", "stream", "ident", "parent"]),
    # instructor/nbgrader_api.py: the functions patched() replaces, and what the replacements read
    ("nbgrader", "nbgrader.api", "get_alembic_version", []),
    ("nbgrader", "nbgrader.api", "create_engine", ["url", "kwargs"]),
    ("nbgrader", "nbgrader.dbutil", "ALEMBIC_DIR", None),
    ("nbgrader", "nbgrader.apps", "NbGraderAPI.generate_assignment", ["self", "assignment_id", "force", "create"]),
    ("nbgrader", "nbgrader.apps", "NbGraderAPI.autograde", ["self", "assignment_id", "student_id", "force", "create"]),
    ("nbgrader", "nbgrader.apps", "NbGraderAPI.generate_feedback", ["self", "assignment_id", "student_id", "force"]),
    # instructor/autograde/worker.py: nbgrader's preprocessor lists, replaced through config
    ("nbgrader", "nbgrader.converters", "Autograde.sanitize_preprocessors", None),
    ("nbgrader", "nbgrader.converters", "Autograde.autograde_preprocessors", None),
    # instructor/check.py: how nbgrader scores a cell
    ("nbgrader", "nbgrader.utils", "determine_grade", ["cell", "log"]),
    ("nbgrader", "nbgrader.utils", "compute_checksum", ["cell"]),
]


def _resolve(module: str, path: str):
    value = importlib.import_module(module)
    for part in path.split("."):
        value = getattr(value, part)
    return value


@pytest.mark.parametrize(("package", "module", "path", "parameters"), ATTRIBUTES,
                         ids=[f"{module}.{path}" for _, module, path, _ in ATTRIBUTES])
def test_patched_attribute_is_still_there(package, module, path, parameters):
    """Does the installed package still have the attribute, with the parameters we call or override?"""
    version = importlib.metadata.version(package)
    where = f"{package} {version}: {module}.{path}"
    try:
        value = _resolve(module, path)
    except (ImportError, AttributeError) as error:
        pytest.fail(f"{where} is gone ({error}); instructor/ overrides or patches it")
    if parameters is not None:
        found = list(inspect.signature(value).parameters)
        assert found == parameters, f"{where} now takes {found}, instructor/ relies on {parameters}"


def test_the_grading_steps_nbgrader_is_given_exist():
    """Does every preprocessor named in course grade's step lists still import?"""
    from instructor.autograde import worker

    for step in worker._SANITIZE_STEPS + worker._AUTOGRADE_STEPS:
        module, name = step.rsplit(".", 1)
        package = module.split(".")[0]
        try:
            _resolve(module, name)
        except (ImportError, AttributeError) as error:
            pytest.fail(f"{package} {importlib.metadata.version(package)}: {step} is gone ({error})")


def test_installed_versions_are_the_pinned_ones():
    """Are the packages whose internals are patched installed within their pins in pyproject.toml?"""
    from packaging.requirements import Requirement

    pinned = {Requirement(line).name.lower().replace("-", "_"): Requirement(line)
              for line in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    for package in ("nbgrader", "nbclient", "jupyter_client"):
        requirement = pinned.get(package)
        assert requirement is not None, f"{package} is not pinned in pyproject.toml"
        version = importlib.metadata.version(package)
        assert requirement.specifier.contains(version), f"{package} {version} is outside its pin {requirement}"
        assert any(spec.operator == "<" for spec in requirement.specifier), \
            f"{package}: its pin {requirement} has no upper bound"
