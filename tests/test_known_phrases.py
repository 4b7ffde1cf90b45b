"""The known-phrase classifier (nlu/known_phrases.py) as Rasa runs it: trained on training data,
saved to and loaded from model storage, then processing parsed messages."""

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.known_phrases import KnownPhraseClassifier

EXAMPLES = [
    ("好", "affirm"),
    ("唔使", "deny"),
    ("没帮助", "feedback_unhelpful"),
    ("拜拜", "goodbye"),
    ("谢谢", "thanks"),
    ("转人工", "request_human"),
    ("在吗", "greet"),
    ("在吗", "request_human"),  # an example of two intents is left to the model
]


def trained(tmp_path) -> KnownPhraseClassifier:
    storage, resource = LocalModelStorage(tmp_path), Resource("known_phrases")
    context = ExecutionContext(GraphSchema({}), "test")
    messages = [Message.build(text=text, intent=intent) for text, intent in EXAMPLES]
    entry = Message.build(text="好", intent="kb_civil_marriage")
    entry.set("intent_response_key", "kb_civil_marriage/marriage-test")  # an entry's example: not a phrase
    KnownPhraseClassifier.create({}, storage, resource, context).train(TrainingData([*messages, entry]))
    return KnownPhraseClassifier.load({}, storage, resource, context)


def parsed(classifier: KnownPhraseClassifier, text: str) -> dict:
    ranking = [{"name": "nlu_fallback", "confidence": 0.45}, {"name": "greet", "confidence": 0.26}]
    message = Message(data={"text": text, "intent": ranking[0], "intent_ranking": ranking})
    return classifier.process([message])[0].data


def test_an_example_typed_as_residents_type_it_gets_its_intent(tmp_path):
    classifier = trained(tmp_path)
    typed = [("好", "affirm"), ("好啊！", "affirm"), ("唔使喇", "deny"), ("沒幫助。", "feedback_unhelpful")]
    for text, intent in typed:
        data = parsed(classifier, text)
        assert data["intent"] == {"name": intent, "confidence": 1.0}, text
        assert data["intent_ranking"][0]["name"] == intent
        assert "nlu_fallback" in [r["name"] for r in data["intent_ranking"]]  # the rest of the ranking stays


def test_other_messages_keep_what_the_model_said(tmp_path):
    classifier = trained(tmp_path)
    for text in ["在吗", "好的我想问下遗嘱公证要带什么", "拜拜了您嘞嘞嘞呀", ""]:
        assert parsed(classifier, text)["intent"]["name"] == "nlu_fallback", text
    assert classifier.intent_of("拜拜") == "goodbye"


def test_a_string_of_pleasantries_means_its_last_one(tmp_path):
    classifier = trained(tmp_path)
    assert classifier.intent_of("好啊，谢谢！拜拜～") == "goodbye"
    assert classifier.intent_of("拜拜 謝謝") == "thanks"
    # a request for a person, a question, an example of two intents: each left to the model
    for text in ["谢谢，转人工", "转人工，谢谢", "谢谢，我想问遗嘱", "好，在吗"]:
        assert classifier.intent_of(text) is None, text
