"""The mistyped questions `legalbot eval --typos` measures routing on."""

from nlu.homophones import correct_homophones, sounds
from nlu.text import normalize_text
from ops.typos import mistype


def test_one_character_of_a_legal_term_becomes_another_of_the_same_sound():
    question = normalize_text("合同写的违约金太高了，可以要求少付吗")
    typed = mistype(question)
    assert typed is not None and typed != question
    assert len(typed) == len(question)
    changed = [(a, b) for a, b in zip(question, typed, strict=True) if a != b]
    assert len(changed) == 1
    assert sounds(changed[0][0]) == sounds(changed[0][1])
    assert correct_homophones(typed) == question


def test_a_question_without_a_legal_term_is_left_out():
    assert mistype("今天天气怎么样") is None


def test_the_mistyped_file_keeps_the_questions_with_a_term_and_their_originals(tmp_path):
    import json

    from ops.eval_commands import mistyped_files

    source = tmp_path / "questions.jsonl"
    rows = [{"text": "放弃继承要写书面的吗", "topic": "civil.inheritance"}, {"text": "你好", "topic": "smalltalk"}]
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    [written], originals = mistyped_files([source], tmp_path / "out")
    [row] = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
    assert row["text"] != row["typed_right"] == "放弃继承要写书面的吗"
    assert row["topic"] == "civil.inheritance"
    assert originals == {row["text"]: row["typed_right"]}
