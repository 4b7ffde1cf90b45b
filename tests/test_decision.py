"""The one decision function, on NLU results shaped exactly like Rasa's parse output."""

import pytest

from actions.decision import decide, failed_turns_after, topic_of_article
from knowledge.models import Citation, Entry

ENTRIES = {
    slug: Entry(
        slug=slug,
        topic=topic,
        title=slug,
        answer="…",
        citations=[Citation(law="中华人民共和国民法典", article=article, source="statute")],
    )
    for slug, topic, article in [
        ("inherit-conflicting-wills", "civil.inheritance", 1142),
        ("inherit-handwritten-will", "civil.inheritance", 1134),
        ("inherit-legal-order", "civil.inheritance", 1127),
        ("marriage-divorce-by-agreement", "civil.marriage", 1077),
    ]
}


def parse(text, intent, confidence=0.95, selector=(), ranking=None, entities=()):
    """A Rasa parse result: intent, intent_ranking, response_selector.default.ranking."""
    ranking = ranking or [(intent, confidence)]
    return {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
        "entities": list(entities),
        "response_selector": {
            "default": {"ranking": [{"intent_response_key": key, "confidence": c} for key, c in selector]}
        },
    }


def an_inheritance_question(text):
    """The decision on a message the classifier and the selector both take for inheritance."""
    return decide(parse(text, "kb_civil_inheritance", selector=[(kb("inherit-legal-order"), 0.9)]), ENTRIES)


def kb(slug):
    return f"kb_{ENTRIES[slug].topic.replace('.', '_')}/{slug}"


def test_a_clear_question_is_answered_with_its_citations():
    d = decide(
        parse(
            "立了两份遗嘱听边份",
            "kb_civil_inheritance",
            selector=[(kb("inherit-conflicting-wills"), 0.62), (kb("inherit-legal-order"), 0.08)],
        ),
        ENTRIES,
    )
    assert (d.topic, d.action, d.entry) == ("civil.inheritance", "answer", "inherit-conflicting-wills")
    assert d.citations == [{"law": "中华人民共和国民法典", "article": 1142}]
    assert d.contract()["confidence"] == pytest.approx(0.95 * 0.62, abs=1e-3)


def test_two_close_entries_make_a_clarifying_question():
    d = decide(
        parse(
            "遗嘱的事",
            "kb_civil_inheritance",
            selector=[
                (kb("inherit-conflicting-wills"), 0.40),
                (kb("inherit-handwritten-will"), 0.35),
                (kb("inherit-legal-order"), 0.05),
            ],
        ),
        ENTRIES,
    )
    assert d.action == "clarify" and d.entry is None
    assert d.choices == ["inherit-conflicting-wills", "inherit-handwritten-will"]


@pytest.mark.parametrize(
    ("text", "action"), [("遗嘱？", "clarify"), ("我爸立了两份遗嘱，内容不一样，以哪份为准？", "answer")]
)
def test_a_bare_subject_word_is_asked_about_not_answered(text, action):
    """The same close examples: a word or two names a subject, a sentence a situation."""
    matches = [
        {"entry": "inherit-conflicting-wills", "similarity": 0.95, "top3": 0.93},
        {"entry": "inherit-handwritten-will", "similarity": 0.92, "top3": 0.90},
    ]
    d = decide({**parse(text, "kb_civil_inheritance"), "entry_matches": matches}, ENTRIES)
    assert d.action == action
    if action == "clarify":
        assert d.choices == ["inherit-conflicting-wills", "inherit-handwritten-will"]


def test_an_entry_whose_examples_all_ask_it_beats_one_lucky_example():
    """The mean of an entry's three nearest examples chooses, not its single nearest one."""
    matches = [
        {"entry": "inherit-handwritten-will", "similarity": 0.96, "top3": 0.90},  # one example shares a phrase
        {"entry": "inherit-conflicting-wills", "similarity": 0.94, "top3": 0.93},
    ]
    d = decide(
        {**parse("我爸立了两份遗嘱，内容不一样，以哪份为准？", "kb_civil_inheritance"), "entry_matches": matches},
        ENTRIES,
    )
    assert (d.action, d.entry) == ("answer", "inherit-conflicting-wills")


def test_an_entry_of_another_topic_than_a_sure_classifier_is_offered_not_answered():
    """The classifier is sure of inheritance, the closest examples are a divorce entry's: ask, and
    offer the classifier's topic too."""
    matches = [
        {"entry": "marriage-divorce-by-agreement", "similarity": 0.93, "top3": 0.90},
        {"entry": "inherit-legal-order", "similarity": 0.86, "top3": 0.82},
    ]
    text = "老伴走了，屋企的房子和存款要怎么分？"
    d = decide({**parse(text, "kb_civil_inheritance", 0.97), "entry_matches": matches}, ENTRIES)
    assert (d.topic, d.action, d.entry) == ("civil.marriage", "clarify", None)
    assert d.choices == ["marriage-divorce-by-agreement", "inherit-legal-order"]
    # The same matches with a classifier that is not sure: the closest entry answers.
    unsure = [("kb_civil_inheritance", 0.6), ("kb_civil_marriage", 0.3)]
    d = decide({**parse(text, "kb_civil_inheritance", 0.6, ranking=unsure), "entry_matches": matches}, ENTRIES)
    assert (d.action, d.entry) == ("answer", "marriage-divorce-by-agreement")


def test_entries_of_the_routed_topic_come_first():
    d = decide(
        parse(
            "遗嘱",
            "kb_civil_inheritance",
            selector=[(kb("marriage-divorce-by-agreement"), 0.5), (kb("inherit-handwritten-will"), 0.45)],
        ),
        ENTRIES,
    )
    assert (d.action, d.entry) == ("answer", "inherit-handwritten-will")


def test_a_retired_entry_is_never_answered():
    live = {k: v for k, v in ENTRIES.items() if k != "inherit-conflicting-wills"}
    d = decide(parse("两份遗嘱", "kb_civil_inheritance", selector=[(kb("inherit-conflicting-wills"), 0.9)]), live)
    assert d.action == "clarify" and d.entry is None


def test_fallback_asks_and_offers_the_closest_entries():
    d = decide(
        parse(
            "屋企嘅嘢",
            "nlu_fallback",
            0.45,
            ranking=[("nlu_fallback", 0.45), ("kb_civil_inheritance", 0.3)],
            selector=[(kb("inherit-legal-order"), 0.3), (kb("inherit-handwritten-will"), 0.2)],
        ),
        ENTRIES,
    )
    assert (d.topic, d.action) == ("civil.inheritance", "clarify")
    assert d.choices == ["inherit-legal-order", "inherit-handwritten-will"]


@pytest.mark.parametrize("text", ["我老公喝醉了在打我", "他说要弄死我", "我不想活了", "救命"])
def test_danger_words_force_the_emergency_reply_whatever_the_intent(text):
    d = decide(parse(text, "kb_civil_marriage", selector=[(kb("marriage-divorce-by-agreement"), 0.9)]), ENTRIES)
    assert d.action == "emergency" and d.reason == "emergency"


@pytest.mark.parametrize(
    ("second", "entry"), [(0.85, "marriage-divorce-by-agreement"), (0.92, None)], ids=["clear lead", "close rival"]
)
def test_an_emergency_carries_the_answer_only_of_an_entry_far_ahead(second, entry):
    """The safety notice always; the answer too when one entry clearly fits what was asked."""
    matches = [
        {"entry": "marriage-divorce-by-agreement", "similarity": 0.95, "top3": 0.93},
        {"entry": "inherit-legal-order", "similarity": 0.95, "top3": second},
    ]
    d = decide({**parse("老公打我，能离婚吗", "kb_civil_marriage"), "entry_matches": matches}, ENTRIES)
    assert (d.action, d.entry) == ("emergency", entry)
    assert bool(d.citations) == bool(entry)


@pytest.mark.parametrize(
    "text",
    [
        "我哋栋楼天台俾人租咗卖广告，啲钱落咗边个袋？",
        "爷爷的古董花瓶托老朋友保管，结果被打烂了",
        "我爸寄咗部旧手机俾我，而家快递话搵唔到件",
        "老豆走失咗两年，派出所都揾唔到，我可以去法院申请咩？",
        "阿妈走失咗一晚，今朝揾到了，佢走失嗰阵签嘅借据算唔算数",
    ],
)
def test_roofs_broken_vases_lost_parcels_and_long_absences_are_not_emergencies(text):
    assert decide(parse(text, "kb_civil_property"), ENTRIES).action != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "我现在一个人站在天台上",
        "我而家喺天台",
        "我妈昨天出门到现在还没回来",
        "佢喺街度被打到流血",
        "债主话要斩佢全家，门口仲泼咗红油",
    ],
)
def test_a_roof_a_missing_parent_and_a_beating_now_are_emergencies(text):
    assert decide(parse(text, "kb_civil_property"), ENTRIES).action == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "我没钱请律师，能不能申请法律援助",
        "想请律师又负担不起，可以找法援吗",
        "遗嘱找律师见证好还是去公证好",
        "不想打官司，能不能先调解",
        "我们不想上法院，有没有人能帮忙说说",
        # in Cantonese 人工 is also the pay: 拖人工 is a question to answer, not 转人工
        "老细拖咗我两个月人工，点算？",
        "做咗成年都冇签合同，可唔可以要两倍人工？",
        "装修的人工费涨了合理吗",
        "欠人工程款不还怎么办",
    ],
)
def test_a_lawyer_not_afforded_a_court_not_wanted_or_wages_called_renggong_are_questions_to_answer(text):
    d = an_inheritance_question(text)
    assert d.action == "answer"


@pytest.mark.parametrize("text", ["患者在医院自杀，医院要赔吗", "未成年人杀人会判死刑吗", "盗窃被抓会被关进监狱吗"])
def test_talk_about_harm_to_others_is_not_an_emergency(text):
    assert decide(parse(text, "other_legal"), ENTRIES).action != "emergency"


def test_an_article_request_is_looked_up_and_routed_by_the_civil_code_book():
    d = decide(parse("民法典第一千一百三十四条", "ask_article"), ENTRIES)
    assert (d.action, d.topic) == ("article", "civil.inheritance")
    assert d.citations == [{"law": "中华人民共和国民法典", "article": 1134}]


def test_an_article_of_a_repealed_law_is_an_article_reply_without_citation():
    d = decide(parse("继承法第十六条", "ask_article"), ENTRIES)
    assert d.action == "article" and d.citations == [] and d.article.law is None


@pytest.mark.parametrize(
    "law, number, topic",
    [
        ("中华人民共和国民法典", 188, "civil.general"),
        ("中华人民共和国民法典", 1077, "civil.marriage"),
        ("中华人民共和国民法典", 1254, "civil.tort"),
        ("中华人民共和国村民委员会组织法", 18, "election.committee"),
        ("中华人民共和国公证法", 26, "notary.elderly"),
        ("中华人民共和国刑法", 264, "other.legal"),
    ],
)
def test_topic_of_an_article(law, number, topic):
    assert topic_of_article(law, number) == topic


def test_other_legal_questions_go_to_a_person_not_an_answer():
    d = decide(parse("醉驾会坐牢吗", "other_legal"), ENTRIES)
    assert (d.topic, d.action, d.entry, d.reason) == ("other.legal", "handoff", None, "other_legal")


@pytest.mark.parametrize(
    "text, intent",
    [
        ("朋友合伙开的公司我想退股，投的钱怎么拿回来", "kb_civil_marriage"),
        ("借钱不还的人会不会坐牢", "kb_civil_contract"),
        ("别人把我拍的照片拿去卖，侵犯版权吗", "kb_civil_personality"),
        ("有人偷用我的身份证注册了一间公司，它的债要我还吗", "kb_labour_dispute"),
        ("个税APP话我要补税，唔补会点", "kb_civil_property"),
        ("驰名商标有什么特殊保护", "kb_notary_elderly"),
        ("个仔俾人叫去帮手运输咗一袋毒品，会唔会被捉", "kb_civil_general"),
        ("开小食店要办哪些行政许可", "kb_civil_contract"),
        ("保险公司话我投保时冇讲病史，被保险人死咗都唔赔", "kb_civil_inheritance"),
        ("跟旅行社出去玩，行程被减了两个景点，能要回钱吗", "kb_civil_contract"),
        ("想向区政府申请信息公开征地批文，怎么申请", "kb_civil_property"),
        ("我录的翻唱歌被人拿去卖钱", "kb_civil_personality"),
        ("借钱不还要去哪个法院起诉，管辖怎么定", "kb_civil_contract"),
        ("十年前的事现在还能追诉吗", "kb_civil_general"),
        ("渔船在海上被货船撞沉了，船东怎么索赔", "kb_civil_tort"),
        ("拿伪造的信用卡去商场刷卡消费，会怎么处理", "kb_civil_personality"),
        ("小作坊把固体废物倒在河边，找哪个部门", "kb_civil_property"),
        ("我卖米粉，别人卖米线，算不算类似商品", "kb_civil_contract"),
    ],
)
def test_a_question_of_another_law_the_classifier_took_for_one_of_our_topics_goes_to_a_person(text, intent):
    ranking = [(intent, 0.6), ("other_legal", 0.2)]
    d = decide(parse(text, intent, 0.6, ranking=ranking), ENTRIES)
    assert (d.topic, d.action, d.entry, d.reason) == ("other.legal", "handoff", None, "other_legal")


BESIDE_OTHER_LAW = [("kb_civil_inheritance", 0.9), ("kb_civil_marriage", 0.05), ("other_legal", 0.03)]


@pytest.mark.parametrize(
    ("text", "other_law", "ranking", "referred"),
    [
        ("书的责任编辑算不算作者", 0.91, BESIDE_OTHER_LAW, True),  # nearer other law's examples
        ("书的责任编辑算不算作者", 0.90, BESIDE_OTHER_LAW, True),  # as near
        ("书的责任编辑算不算作者", 0.88, BESIDE_OTHER_LAW, False),  # an entry's examples are nearer
        ("书的责任编辑算不算作者", None, BESIDE_OTHER_LAW, False),  # no matcher: the words alone decide
        # the classifier does not count other law among its three likeliest (its fallback aside)
        (
            "书的责任编辑算不算作者",
            0.91,
            [*BESIDE_OTHER_LAW[:2], ("kb_civil_general", 0.02), ("other_legal", 0.01)],
            False,
        ),
        ("书的责任编辑算不算作者", 0.91, [("nlu_fallback", 0.45), *BESIDE_OTHER_LAW], True),
        ("咨询", 0.91, BESIDE_OTHER_LAW, False),  # a word or two says too little to refer it
    ],
)
def test_a_question_nearer_the_examples_of_another_law_than_any_entry_goes_to_a_person(
    text, other_law, ranking, referred
):
    """No word of OTHER_LAW in these, so only the meaning can refer them."""
    intent = ranking[0][0]
    message = parse(text, intent, ranking[0][1], ranking=ranking, selector=[(kb("inherit-legal-order"), 0.9)])
    message["entry_matches"] = [{"entry": "inherit-legal-order", "similarity": 0.93, "top3": 0.90, "z": 3.0}]
    if other_law is not None:
        message["other_law_match"] = other_law
    d = decide(message, ENTRIES)
    if referred:
        assert (d.topic, d.action, d.entry, d.reason) == ("other.legal", "handoff", None, "other_legal")
    else:
        assert d.reason is None and d.action in ("answer", "clarify")


def test_nearness_to_other_law_refers_a_question_the_classifier_took_for_an_election():
    """No exception for elections by meaning (a performer's rights are no election question); the
    exception stays for the words (a candidate's criminal record)."""
    ranking = [("kb_election_committee", 0.56), ("other_legal", 0.17)]
    message = parse("单位安排我演出，录像的权利归边个", "kb_election_committee", 0.56, ranking=ranking)
    message["entry_matches"] = [{"entry": "inherit-legal-order", "similarity": 0.93, "top3": 0.90, "z": 3.0}]
    message["other_law_match"] = 0.91
    assert decide(message, ENTRIES).reason == "other_legal"


@pytest.mark.parametrize(
    "text, intent",
    [
        ("老公吸毒欠下一身债，债主要我一起还吗", "kb_civil_marriage"),
        ("孩子妈妈吸毒不管孩子，奶奶能不能当监护人", "kb_civil_general"),
        ("我爸被人骗着签了低价卖房的合同，能撤销吗", "kb_civil_contract"),
        ("保健品公司说包治百病，卖给老人算不算诈骗", "kb_elderly_rights"),
    ],
)
def test_a_civil_question_that_mentions_drugs_or_fraud_as_background_stays_civil(text, intent):
    d = decide(parse(text, intent, 0.6, ranking=[(intent, 0.6), ("other_legal", 0.2)]), ENTRIES)
    assert d.reason != "other_legal"


def test_a_candidate_with_a_criminal_record_stays_an_election_question():
    ranking = [("kb_election_committee", 0.9), ("other_legal", 0.05)]
    d = decide(parse("有犯罪记录可以参选村委吗", "kb_election_committee", 0.9, ranking=ranking), ENTRIES)
    assert d.reason != "other_legal"


def test_criminal_legal_aid_stays_a_legal_aid_question():
    # Legal aid for a defendant is the assistant's own topic, not a Civil Code entry.
    ranking = [("kb_service_legal_aid", 0.9), ("other_legal", 0.05)]
    d = decide(parse("儿子被刑事拘留了，有没有免费的律师", "kb_service_legal_aid", 0.9, ranking=ranking), ENTRIES)
    assert d.reason != "other_legal"


def test_a_dispute_already_in_court_is_answered_and_handed_to_a_person():
    d = decide(
        parse(
            "我已经起诉了，两份遗嘱听边份", "kb_civil_inheritance", selector=[(kb("inherit-conflicting-wills"), 0.7)]
        ),
        ENTRIES,
    )
    assert (d.action, d.entry, d.reason) == ("handoff", "inherit-conflicting-wills", "complex")


@pytest.mark.parametrize(
    "text",
    [
        "政府要征收我们村的地，补偿太低，能不能告政府",
        "佢哋仲请咗律师，我哋想搵个律师睇下",
        "對方請了一位律師，我應該點做",
        "我阿爸走咗，屋企几兄弟为咗间屋争到要上法院",
        "收到法院寄来的起诉状副本，十五天内要答辩",
        "律师楼寄咗封信嚟要我赔钱",
        "我想搵个律师睇下",
    ],
)
def test_a_planned_lawsuit_a_summons_or_a_lawyer_needs_a_person(text):
    d = an_inheritance_question(text)
    assert d.action == "handoff"


@pytest.mark.parametrize("text", ["我想告诉你我家的情况", "遗嘱要告知其他继承人吗"])
def test_telling_someone_is_not_a_lawsuit(text):
    d = an_inheritance_question(text)
    assert d.action != "handoff"


@pytest.mark.parametrize(
    "text",
    [
        "转人工",
        "有沒有人工可以打電話給我",
        "我想同人工客服倾",
        "可唔可以直接同个真人倾？",
        "能不能安排一个法律顾问给我回个电话，我年纪大了打字慢",
        "打个电话俾我得唔得",
    ],
)
def test_a_request_for_a_person_in_the_residents_words_is_handed_over(text):
    d = an_inheritance_question(text)
    assert (d.action, d.reason) == ("handoff", "request")


def test_a_debt_collector_calling_is_no_request_for_a_person():
    d = an_inheritance_question("我老公走咗，催收公司天天给我打电话，要我还佢嘅网贷")
    assert d.reason != "request"


def test_a_request_for_a_person_keeps_the_topic_it_is_about():
    # Ranked as the model ranks it: the matter first, the request second.
    ranking = [("kb_civil_marriage", 0.77), ("request_human", 0.11), ("kb_labour_dispute", 0.04)]
    d = decide(parse("离婚的事我想找律师", "kb_civil_marriage", 0.77, ranking=ranking), ENTRIES)
    assert (d.action, d.topic, d.reason) == ("handoff", "civil.marriage", "request")


def test_a_bare_request_for_a_person_leaves_the_topic_to_the_conversation():
    # The topic ranked after the request is noise ("转人工" is not a labour question): other.legal
    # lets the action take the conversation's last question.
    ranking = [("request_human", 0.64), ("kb_labour_dispute", 0.13), ("kb_civil_personality", 0.05)]
    d = decide(parse("转人工", "request_human", 0.64, ranking=ranking), ENTRIES)
    assert (d.action, d.topic, d.reason) == ("handoff", "other.legal", "request")


def test_a_picked_button_answers_that_entry():
    d = decide(
        parse(
            '/choose_entry{"entry":"inherit-handwritten-will"}',
            "choose_entry",
            1.0,
            entities=[{"entity": "entry", "value": "inherit-handwritten-will"}],
        ),
        ENTRIES,
    )
    assert (d.action, d.entry) == ("answer", "inherit-handwritten-will")


@pytest.mark.parametrize(
    "intent, topic, action",
    [
        ("greet", "smalltalk", "smalltalk"),
        ("thanks", "smalltalk", "smalltalk"),
        ("out_of_scope", "out_of_scope", "out_of_scope"),
    ],
)
def test_general_intents(intent, topic, action):
    d = decide(parse("你好", intent), ENTRIES)
    assert (d.topic, d.action) == (topic, action)


@pytest.mark.parametrize("text, likeliest", [("你好", "greet"), ("在吗", "greet"), ("多谢", "thanks")])
def test_a_short_greeting_below_the_fallback_threshold_is_still_small_talk(text, likeliest):
    ranking = [("nlu_fallback", 0.45), (likeliest, 0.3), ("kb_civil_marriage", 0.1)]
    d = decide(parse(text, "nlu_fallback", 0.45, ranking=ranking), ENTRIES)
    assert (d.topic, d.action, d.intent) == ("smalltalk", "smalltalk", likeliest)


def test_a_longer_message_the_fallback_caught_is_asked_about_even_if_small_talk_ranks_first():
    ranking = [("nlu_fallback", 0.45), ("greet", 0.3), ("kb_civil_inheritance", 0.2)]
    d = decide(parse("你好，我爸走了房子怎么分", "nlu_fallback", 0.45, ranking=ranking), ENTRIES)
    assert d.action == "clarify"


@pytest.mark.parametrize("text", ["？", "。。。", "👍"])
def test_punctuation_alone_is_not_understood_and_offers_no_entries(text):
    # Shaped as the model parses "?": entries it ranks, none of them meant.
    message = parse(text, "nlu_fallback", 0.45, selector=[(kb("inherit-legal-order"), 0.3)])
    message["entry_matches"] = [{"entry": "inherit-legal-order", "similarity": 0.84, "top3": 0.84, "z": 3.0}]
    d = decide(message, ENTRIES)
    assert (d.action, d.choices) == ("clarify", [])
    assert failed_turns_after(d, 0) == 1


def test_traditional_characters_are_read_as_simplified():
    d = decide(parse("民法典第一千一百三十四條", "ask_article"), ENTRIES)
    assert d.action == "article" and d.citations[0]["article"] == 1134


# --- messages not understood in a row (issue 12: a new question instead of a button) ---------
CHOICES = parse(
    "遗嘱的事",
    "kb_civil_inheritance",
    selector=[(kb("inherit-conflicting-wills"), 0.40), (kb("inherit-handwritten-will"), 0.35)],
)
GIBBERISH = parse("嗯嗯嗯 啊", "nlu_fallback", 0.3, ranking=[("nlu_fallback", 0.3), ("greet", 0.1)])
OLD_BUTTON = parse(
    '/choose_entry{"entry":"inherit-conflicting-wills"}',
    "choose_entry",
    1.0,
    entities=[{"entity": "entry", "value": "inherit-conflicting-wills"}],
)


def turns(*parses, entries=ENTRIES) -> list[int]:
    """The failed-turns count after each message of a conversation."""
    counts, failed = [], 0
    for message in parses:
        failed = failed_turns_after(decide(message, entries), failed)
        counts.append(failed)
    return counts


def test_choices_shown_are_not_a_failure_so_a_new_question_is_routed_afresh():
    assert turns(CHOICES, CHOICES, CHOICES) == [0, 0, 0]


def test_only_two_messages_truly_not_understood_in_a_row_count_as_failures():
    assert turns(GIBBERISH, GIBBERISH) == [1, 2]
    assert turns(GIBBERISH, CHOICES, GIBBERISH) == [1, 0, 1]
    assert turns(GIBBERISH, parse("你好", "greet"), GIBBERISH) == [1, 0, 1]


def test_a_button_of_a_retired_entry_is_not_a_failure():
    live = {k: v for k, v in ENTRIES.items() if k != "inherit-conflicting-wills"}
    decision = decide(OLD_BUTTON, live)
    assert decision.action == "clarify" and decision.intent == "choose_entry"
    assert turns(GIBBERISH, OLD_BUTTON, GIBBERISH, entries=live) == [1, 0, 1]
