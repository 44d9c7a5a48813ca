"""Machine description for benchmark results (standard library only).

``machine_info()`` returns a JSON-serialisable dict: CPU model, logical and
usable cores, RAM, load average, OS, Python and the versions of the
numerical packages (read from package metadata, so nothing heavy such as
TensorFlow is imported). ``machine_markdown(info)`` renders it as a list.
"""

import os
import platform
import sys
from importlib import metadata

__all__ = ["machine_info", "machine_markdown"]

_PACKAGES = (
    "numpy",
    "scipy",
    "scikit-learn",
    "soundfile",
    "python_speech_features",
    "librosa",
    "joblib",
    "tensorflow",
    "keras",
    "scikeras",
)


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib():
    try:
        return round(
            os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1
        )
    except (ValueError, OSError, AttributeError):
        return None


def _version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def machine_info():
    """Describe this machine and the software stack; a dict of plain values."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "cpu": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "usable_cores": usable,
        "ram_gib": _ram_gib(),
        "load_average_1_5_15": load,
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "packages": {p: _version(p) for p in _PACKAGES},
    }


def machine_markdown(info):
    """Render :func:`machine_info` as Markdown bullet points."""
    pk = ", ".join(f"{k} {v}" for k, v in info["packages"].items() if v)
    return "\n".join(
        [
            f"- CPU: {info['cpu']} ({info['usable_cores']} usable of "
            f"{info['logical_cores']} logical cores), RAM {info['ram_gib']} GiB",
            f"- load average (1/5/15 min) at start: {info['load_average_1_5_15']}",
            f"- OS: {info['os']}; Python {info['python']}",
            f"- packages: {pk}",
        ]
    )


if __name__ == "__main__":
    import json

    print(json.dumps(machine_info(), indent=2))
