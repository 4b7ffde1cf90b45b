"""Generated training data and the model's cache key."""

import re
import shutil

import yaml

from knowledge.content import load
from knowledge.training_data import build
from nlu.train import TRAINING_INPUTS, model_key
from storage.db import Database
from tests.test_content import spec


def test_training_data_has_every_published_entry_and_no_retired_one(tmp_path):
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    with Database(url).session() as s, s.begin():
        load(s, [spec(), spec(slug="inherit-old-entry")])
    with Database(url).session() as s, s.begin():
        load(s, [spec()])  # inherit-old-entry is retired
    with Database(url).session() as s:
        data = yaml.safe_load(build(s, tmp_path / "kb").read_text(encoding="utf-8"))
    assert [item["intent"] for item in data["nlu"]] == ["kb_civil_inheritance/inherit-test-entry"]
    assert data["nlu"][0]["examples"].splitlines()[0] == "- inherit-test-entry的第0个问题"
    assert data["responses"] == {"utter_kb_civil_inheritance/inherit-test-entry": [{"text": "测试"}]}


def _copy_inputs(source, target):
    for name in TRAINING_INPUTS:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        elif path.exists():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target / name)


def test_the_model_key_changes_with_the_jieba_dictionary(tmp_path):
    """Rasa's own cache misses edits inside the dictionary folder; ours must not."""
    from nlu.train import PROJECT_ROOT

    _copy_inputs(PROJECT_ROOT, tmp_path)
    before = model_key(tmp_path)
    assert model_key(tmp_path) == before
    with (tmp_path / "nlu" / "dictionary" / "legal.txt").open("a", encoding="utf-8") as f:
        f.write("居住权登记 2000 n\n")
    assert model_key(tmp_path) != before


def test_the_model_key_changes_with_the_training_data_and_config(tmp_path):
    from nlu.train import CONFIG, PROJECT_ROOT

    _copy_inputs(PROJECT_ROOT, tmp_path)
    config = tmp_path / "config.yml"
    shutil.copy(CONFIG, config)
    before = model_key(tmp_path, config)
    text = config.read_text(encoding="utf-8")
    changed = re.sub(r"epochs: (\d+)", lambda m: f"epochs: {int(m.group(1)) + 1}", text, count=1)
    assert changed != text
    config.write_text(changed, encoding="utf-8")
    after_config = model_key(tmp_path, config)
    assert after_config != before
    with (tmp_path / "nlu" / "safety.yml").open("a", encoding="utf-8") as f:
        f.write("  - 又一句危险的话\n")  # the curated safety sets are training data too
    assert model_key(tmp_path, config) != after_config


def test_the_model_key_covers_the_code_of_every_pipeline_component():
    """A change to the code a component runs in training (the normal form, the homophones, a
    classifier) must not be hidden by a model trained before it."""
    import grimp  # import-linter's import graph

    from nlu.train import CONFIG

    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    ours = [c["name"].rsplit(".", 1)[0] for c in config["pipeline"] + config["policies"] if "." in c["name"]]
    assert "nlu.normalize" in ours
    graph = grimp.build_graph("nlu")
    modules = set(ours).union(*(graph.find_upstream_modules(module) for module in ours))
    assert {"nlu.text", "nlu.homophones"} <= modules
    files = {module.replace(".", "/") + ".py" for module in modules}
    assert sorted(files - set(TRAINING_INPUTS)) == []


def test_the_model_without_the_encoder_is_the_same_pipeline_less_the_encoder():
    import yaml

    from nlu.train import CONFIG, ENCODER_COMPONENTS, without_encoder

    served = [c["name"] for c in yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["pipeline"]]
    reference = [c["name"] for c in yaml.safe_load(without_encoder().read_text(encoding="utf-8"))["pipeline"]]
    assert set(ENCODER_COMPONENTS) <= set(served)
    assert reference == [name for name in served if name not in ENCODER_COMPONENTS]


def test_the_training_machine_is_named_by_the_instruction_sets_that_choose_kernels(tmp_path):
    from nlu.train import this_machine

    core = "processor\t: {n}\nmodel name\t: Example CPU\nflags\t\t: fpu sse2 avx2 fma avx512f amx_tile\n\n"
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(core.format(n=0) + core.format(n=1))
    assert this_machine(cpuinfo) == "Example CPU, 2 cores, avx2 avx512f amx_tile"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Old CPU\nflags\t\t: fpu sse2 avx\n")
    assert this_machine(cpuinfo) == "Old CPU, 1 core, no AVX2"


def test_the_training_record_tells_the_machine_and_an_older_record_says_it_is_not_recorded(tmp_path):
    from nlu.train import trained_on, training_record

    model = tmp_path / "legalbot-abc.tar.gz"
    assert trained_on(model) == "not recorded"  # no record at all
    training_record(model).write_text('{"seconds": 12.5}')
    assert trained_on(model) == "not recorded"
    training_record(model).write_text('{"seconds": 12.5, "machine": "Example CPU, 2 cores, avx2"}')
    assert trained_on(model) == "Example CPU, 2 cores, avx2"
