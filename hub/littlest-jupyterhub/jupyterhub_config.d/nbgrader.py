"""The Littlest JupyterHub: the course's formgrader as a hub service, with nbgrader's groups and roles.

Copied by install.sh to /opt/tljh/config/jupyterhub_config.d/nbgrader.py; TLJH loads it after its
own configuration (`sudo tljh-config reload hub` to apply a change). This is nbgrader's "one class,
multiple graders" setup: a grader account runs a shared Jupyter server (jupyterhub-singleuser) as a
service managed by the hub, at /services/aws-messaging/, open to the instructors' group.
"""

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

COURSE_ID = "aws-messaging"  # nbgrader's course id; the service name MUST be the same
GRADER = f"grader-{COURSE_ID}"  # the Unix account that owns the course directory (install.sh)
INSTRUCTORS = ["instructor1", "instructor2"]  # edit: the hub user names of your instructors
USER_ENV = "/opt/tljh/user"  # TLJH's user environment, where install.sh installed the course

# nbgrader's JupyterHub integration works through two groups: formgrade-<course> may open the
# formgrader, nbgrader-<course> sees the course's assignments. Adding a student to the course
# (formgrader "Manage Students", `nbgrader db student import`) puts them in the second.
c.JupyterHub.load_groups.update({
    f"formgrade-{COURSE_ID}": {"users": [GRADER, *INSTRUCTORS]},
    f"nbgrader-{COURSE_ID}": {"users": []},
})

c.JupyterHub.load_roles.extend([
    {
        "name": f"formgrade-{COURSE_ID}",
        "description": "Instructors open the course's formgrader and see it in the course list",
        "groups": [f"formgrade-{COURSE_ID}"],
        "scopes": [
            f"access:services!service={COURSE_ID}",
            "list:services",
            f"read:services!service={COURSE_ID}",
        ],
    },
    {
        "name": f"nbgrader-{COURSE_ID}",
        "description": "Students discover the course's service",
        "groups": [f"nbgrader-{COURSE_ID}"],
        "scopes": ["list:services", f"read:services!service={COURSE_ID}"],
    },
    {
        "name": f"{COURSE_ID}-service",
        "description": "The grader service adds and removes students of the course (nbgrader's JupyterHubAuthPlugin)",
        "services": [COURSE_ID],
        "scopes": ["list:groups", "read:groups", f"groups!group=nbgrader-{COURSE_ID}", "read:users:groups"],
    },
    {
        # Every user's server asks the hub which course groups its user is in. A server token gets
        # the intersection of these scopes and its owner's permissions; the first two are the defaults.
        "name": "server",
        "description": "A user's server posts activity, reads its owner's groups and finds course services",
        "scopes": [
            "users:activity!user",
            "access:servers!server",
            "read:users:groups!user",
            "list:services",
            "read:services",
        ],
    },
])

# The grader account is a hub user (nbgrader asks the hub for its groups) but nobody logs in as it:
# with TLJH's default FirstUseAuthenticator, the first person to try would claim it.
c.Authenticator.blocked_users.add(GRADER)

# TLJH sets c.JupyterHub.services (its idle culler) before loading this file: append, never assign.
c.JupyterHub.services.append({
    "name": COURSE_ID,
    "url": "http://127.0.0.1:9999",
    "command": [f"{USER_ENV}/bin/jupyterhub-singleuser"],
    "user": GRADER,
    "cwd": f"/home/{GRADER}",
    "environment": {
        "PATH": f"{USER_ENV}/bin:/usr/local/bin:/usr/bin:/bin",
        "JUPYTERHUB_DEFAULT_URL": "/lab",
        # turns the Formgrader and Create Assignment extensions back on, for this server only
        "JUPYTER_CONFIG_PATH": "/opt/aws-messaging/grader-jupyter-config",
    },
    "oauth_no_confirm": True,
})
