"""The machine a benchmark ran on: cores, CPU model, library versions, BLAS kernel and threads."""

import os
import platform
import subprocess

import numpy as np

from ..core import devices

BLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OPENBLAS_THREAD_TIMEOUT",
                  "OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "MKL_NUM_THREADS")


def cpu_model():
    """The first ``model name`` of /proc/cpuinfo, else ``platform.processor()``."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def thread_pools():
    """threadpoolctl's view of the native thread pools (BLAS kernel, threads), or ``None`` if not installed."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return [{"api": pool.get("internal_api"), "version": pool.get("version"),
             "kernel": pool.get("architecture"), "threads": pool.get("num_threads"),
             "library": _library(pool.get("filepath", ""))} for pool in threadpool_info()]


def _library(path):
    """``numpy.libs/libscipy_openblas64_….so``: the file and the package folder that ships it."""
    folder, name = os.path.split(path)
    return f"{os.path.basename(folder)}/{name}" if folder else name


def source_revision():
    """``(commit, changed files under src/chainrule)`` of the git checkout chainrule runs from, or ``None``."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=here, capture_output=True, text=True,
                                timeout=10)
        changed = subprocess.run(["git", "status", "--porcelain", "--", "."], cwd=here, capture_output=True,
                                 text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if commit.returncode != 0:
        return None
    return {"commit": commit.stdout.strip(), "changed": [line[3:] for line in changed.stdout.splitlines()]}


def describe(torch_module=None):
    """A dict for the JSON report; ``torch_module`` when PyTorch took part."""
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info = {
        "cpus": os.cpu_count(), "usable_cpus": affinity, "cpu_model": cpu_model(),
        "platform": platform.platform(), "python": platform.python_version(), "numpy": np.__version__,
        "environment": {name: os.environ.get(name) for name in BLAS_VARIABLES},
        "thread_pools": thread_pools(),
        "source": source_revision(),
    }
    if torch_module is not None:
        info["torch"] = torch_module.__version__
        info["torch_threads"] = torch_module.get_num_threads()
    return info


def summary(info):
    """One line for the Markdown report."""
    parts = [f"{info['usable_cpus']} cores ({info['cpu_model']})", f"Python {info['python']}",
             f"NumPy {info['numpy']}"]
    for pool in info.get("thread_pools") or ():
        if pool["api"] in ("openblas", "mkl", "blis"):
            kernel = f", {pool['kernel']} kernel" if pool.get("kernel") else ""
            parts.append(f"{pool['library']} ({pool['api']} {pool['version']}{kernel}, {pool['threads']} threads)")
    if info.get("thread_pools") is None:
        parts.append("BLAS kernel not reported (threadpoolctl not installed)")
    if "torch" in info:
        parts.append(f"PyTorch {info['torch']} ({info['torch_threads']} threads)")
    source = info.get("source")
    if source:
        changed = f" plus uncommitted changes to {', '.join(source['changed'])}" if source["changed"] else ""
        parts.append(f"chainrule at {source['commit']}{changed}")
    set_vars = [f"{k}={v}" for k, v in info["environment"].items() if v is not None]
    parts.append("environment: " + (", ".join(set_vars) if set_vars else "no BLAS/OpenMP variables set"))
    return "; ".join(parts)


def device_note(device):
    """What computed the device runs: the array library and the GPU (CuPy's view), in words."""
    array_type = devices.backend(device).array_type
    library = array_type.__module__.split(".")[0]
    if library != "cupy":
        return f"Device {device!r}: arrays of type {array_type.__name__} (from {library}, not CuPy)"
    import cupy

    properties = cupy.cuda.runtime.getDeviceProperties(cupy.cuda.Device().id)
    name = properties["name"].decode() if isinstance(properties["name"], bytes) else properties["name"]
    return f"Device {device!r}: CuPy {cupy.__version__} on {name}, CUDA runtime {cupy.cuda.runtime.runtimeGetVersion()}"
