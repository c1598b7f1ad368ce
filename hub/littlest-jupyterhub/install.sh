#!/usr/bin/env bash
# Serve the course "aws-messaging" on an existing The Littlest JupyterHub (TLJH) machine.
#
#   sudo COURSE_REPO=https://git.example.org/aws-messaging-course.git COURSE_REF=v0.1.0 \
#        hub/littlest-jupyterhub/install.sh
#
# Run as root, from a checkout of the course, after TLJH itself is installed. Safe to run again (an
# upgrade: set COURSE_REF to the new tag). What it does, in nbgrader's own terms:
#   1. pip-installs the course into TLJH's user environment (every student's server and the grader);
#   2. turns nbgrader's instructor extensions off for students;
#   3. installs the hub-wide nbgrader config at /etc/jupyter/nbgrader_config.py;
#   4. creates the exchange /srv/nbgrader/exchange, writable by all (chmod ugo+rw);
#   5. creates the grader account grader-aws-messaging with the course checkout in its home;
#   6. adds the formgrader service, groups and roles to the hub, applies config.yaml, reloads the hub.
set -euo pipefail

COURSE_ID=aws-messaging
GRADER="grader-${COURSE_ID}"
COURSE_REPO="${COURSE_REPO:?set COURSE_REPO to the git URL of the course}"
COURSE_REF="${COURSE_REF:-main}"
# what to pip-install; e.g. COURSE_SPEC="aws-messaging-course==0.1.0" from a package index
COURSE_SPEC="${COURSE_SPEC:-aws-messaging-course @ git+${COURSE_REPO}@${COURSE_REF}}"

TLJH=/opt/tljh
USER_ENV="${TLJH}/user"
EXCHANGE=/srv/nbgrader/exchange
GRADER_CONFIG=/opt/aws-messaging/grader-jupyter-config
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HUB_DIR="$(dirname "${HERE}")"          # hub/ of this checkout

if [[ "${EUID}" -ne 0 ]]; then
    echo "install.sh: run as root (sudo)" >&2
    exit 1
fi
if [[ ! -x "${USER_ENV}/bin/pip" ]]; then
    echo "install.sh: no TLJH user environment at ${USER_ENV}: install The Littlest JupyterHub first" >&2
    exit 1
fi

echo "1. the course into the user environment"
"${USER_ENV}/bin/pip" install --no-cache-dir --upgrade "${COURSE_SPEC}"

echo "2. students get the Assignments list, not the instructor's tools"
"${USER_ENV}/bin/jupyter" labextension disable --level=sys_prefix \
    @jupyter/nbgrader:formgrader @jupyter/nbgrader:create-assignment
"${USER_ENV}/bin/jupyter" server extension disable --sys-prefix nbgrader.server_extensions.formgrader
# ... which the grader service turns back on through JUPYTER_CONFIG_PATH
install -d -m 755 "${GRADER_CONFIG}"
cp -r "${HUB_DIR}/grader-jupyter-config/." "${GRADER_CONFIG}/"
chmod -R a+rX "${GRADER_CONFIG}"

echo "3. the hub-wide nbgrader config"
install -D -m 644 "${HUB_DIR}/nbgrader_config.py" /etc/jupyter/nbgrader_config.py

echo "4. the exchange"
install -d -m 755 "$(dirname "${EXCHANGE}")"
install -d -m 777 "${EXCHANGE}"

echo "5. the grader account and the course directory"
if ! id "${GRADER}" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "${GRADER}"
fi
COURSE_DIR="/home/${GRADER}/${COURSE_ID}"
if [[ ! -d "${COURSE_DIR}/.git" ]]; then
    sudo -u "${GRADER}" git clone --branch "${COURSE_REF}" "${COURSE_REPO}" "${COURSE_DIR}"
else
    sudo -u "${GRADER}" git -C "${COURSE_DIR}" fetch --tags origin
    sudo -u "${GRADER}" git -C "${COURSE_DIR}" checkout "${COURSE_REF}"
fi
chmod 700 "/home/${GRADER}"            # gradebook and solutions: instructors only, via the service

echo "6. the formgrader service, groups and roles; config.yaml; reload"
install -D -m 644 "${HERE}/jupyterhub_config.d/nbgrader.py" "${TLJH}/config/jupyterhub_config.d/nbgrader.py"
# every leaf of config.yaml becomes `tljh-config set <dotted.key> <value>`
"${USER_ENV}/bin/python" - "${HERE}/config.yaml" <<'PY' | while read -r key value; do tljh-config set "${key}" "${value}"; done
import sys
import yaml

def leaves(tree, prefix=""):
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from leaves(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value

for key, value in leaves(yaml.safe_load(open(sys.argv[1]))):
    print(key, value)
PY
tljh-config reload hub

echo "Done. Edit INSTRUCTORS in ${TLJH}/config/jupyterhub_config.d/nbgrader.py, then: sudo tljh-config reload hub"
echo "Instructors open the formgrader at https://<your hub>/services/${COURSE_ID}/formgrader"
