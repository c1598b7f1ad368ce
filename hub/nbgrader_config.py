"""Global nbgrader configuration for serving the course on a JupyterHub: /etc/jupyter/nbgrader_config.py.

Every server on the hub reads it: students', instructors' and the grader service's. The course's own
settings (directories, gradebook, time limits, feedback without hidden tests) stay in the course's
nbgrader_config.py, which nbgrader loads from the course root after this file. Both name the course
"aws-messaging"; so do the hub service and the groups formgrade-aws-messaging and nbgrader-aws-messaging.
"""

import os

from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

COURSE_ID = "aws-messaging"

c.CourseDirectory.course_id = COURSE_ID

# The exchange: a folder every server on the hub mounts (on Kubernetes a ReadWriteMany volume),
# writable by all (nbgrader's documented `chmod ugo+rw`). One sub-folder per course.
c.Exchange.root = "/srv/nbgrader/exchange"
c.Exchange.path_includes_course = True

# Students see the course only if they are in the hub group nbgrader-aws-messaging, instructors
# only if they are in formgrade-aws-messaging (nbgrader's JupyterHub authentication).
c.Authenticator.plugin_class = JupyterHubAuthPlugin

if os.environ.get("JUPYTERHUB_SERVICE_NAME") == COURSE_ID:
    # The grader service (the shared formgrader): the course checkout lives in its home.
    course_root = os.environ.get("AWS_MESSAGING_COURSE_ROOT") or os.path.expanduser("~/aws-messaging")
    c.CourseDirectory.root = course_root
    c.NbGrader.logfile = os.path.join(course_root, "nbgrader.log")
elif os.environ.get("JUPYTERHUB_USER"):
    # A student's (or instructor's) own server: submit under the hub user name. Without this, nbgrader
    # uses the Unix account name, which is "jupyter-<name>" on The Littlest JupyterHub.
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
