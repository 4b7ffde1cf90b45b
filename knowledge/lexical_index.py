"""The lexical half of statute retrieval: BM25 over jieba words and over character bigrams,
fused, on each Civil Code article with its chapter heading (第九章 饲养动物损害责任 tells more
about article 1245 than its first words do), after residents' everyday words are expanded into
the statute's own (老公 → 配偶, 房东 → 出租人)."""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import jieba
from rank_bm25 import BM25Okapi

from knowledge import statutes
from nlu.text import normalize_text

_STOP = set(
    [
        "的了是在和与对于由从被把及或并等请问我你他她它这那个之其什么怎么怎样如何咨询一下有关关于应该可以是否有没有如果因为所以但是然后吗呢吧啊呀么还要会能都就也又被给让我们你们他们自己这个那个"
    ]
) | set(
    [
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "对",
        "于",
        "由",
        "从",
        "被",
        "把",
        "及",
        "或",
        "并",
        "等",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "还",
        "要",
        "会",
        "能",
        "都",
        "就",
        "也",
        "又",
        "给",
        "让",
        "我",
        "你",
        "他",
        "她",
        "它",
    ]
)

# Colloquial words residents use, and the statute's words for the same things.
EXPANSIONS: dict[str, str] = {
    "老公": "配偶 夫妻",
    "老婆": "配偶 夫妻",
    "丈夫": "配偶 夫妻",
    "妻子": "配偶 夫妻",
    "两公婆": "夫妻 配偶",
    "结婚": "婚姻 登记",
    "离婚": "离婚 婚姻",
    "彩礼": "婚约 财物 返还",
    "小孩": "子女 未成年",
    "孩子": "子女 未成年",
    "仔女": "子女",
    "抚养费": "抚养费 子女",
    "房东": "出租人 租赁",
    "租客": "承租人 租赁",
    "租房": "租赁 出租人 承租人",
    "房租": "租金 租赁",
    "押金": "租赁 押金",
    "借条": "借款 借款合同",
    "欠条": "借款 债务",
    "借钱": "借款 出借人 借款人",
    "欠钱": "借款 债务 清偿",
    "还钱": "借款 返还 清偿",
    "利息": "利息 借款",
    "担保人": "保证人 保证",
    "担保": "保证 担保",
    "定金": "定金",
    "订金": "定金 预付款",
    "违约": "违约责任 违约",
    "赔偿": "损害 赔偿 责任",
    "赔钱": "损害 赔偿",
    "被狗咬": "饲养 动物 损害",
    "狗": "饲养 动物",
    "宠物": "饲养 动物",
    "高空抛物": "建筑物 抛掷 坠落",
    "车祸": "机动车 交通事故",
    "撞": "机动车 交通事故 损害",
    "医院": "医疗机构 医务人员 诊疗",
    "看病": "诊疗 医疗机构",
    "遗产": "遗产 继承",
    "遗嘱": "遗嘱 继承",
    "遗属": "遗嘱",
    "过世": "死亡 继承",
    "去世": "死亡 继承",
    "老人": "老年人 赡养",
    "养老": "赡养 扶养",
    "邻居": "相邻 不动产 权利人",
    "物业": "物业服务人 业主",
    "业主": "业主 建筑物",
    "房产证": "不动产 登记",
    "加名": "不动产 登记 共有",
    "宅基地": "宅基地 使用权",
    "承包地": "土地承包经营权",
    "偷拍": "隐私 私密",
    "造谣": "名誉 诽谤",
    "骂人": "侮辱 名誉",
    "照片": "肖像",
    "个人信息": "个人信息 处理",
    "监护": "监护人 监护",
    "时效": "诉讼时效",
    "骗": "欺诈",
    "逼": "胁迫",
    "装修": "承揽 定作人",
    "中介": "中介人 委托人",
    "网购": "买卖 出卖人",
    "退货": "买卖 质量 解除",
    "质量": "质量 标的物",
}


def words(text: str) -> list[str]:
    return [w for w in jieba.lcut(text) if w.strip() and w not in _STOP and not re.fullmatch(r"\W+", w)]


def bigrams(text: str) -> list[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return [a + b for a, b in itertools.pairwise(chars)]


def expand(question: str) -> str:
    text = normalize_text(question)
    return text + " " + " ".join(v for k, v in EXPANSIONS.items() if k in text)


class CivilCodeIndex:
    """BM25 indices over the Civil Code's articles in force, built once per process."""

    def __init__(self) -> None:
        rows = statutes.civil_code_articles()
        self.numbers = [row.number for row in rows]
        docs = [f"{row.chapter} {row.text}" for row in rows]
        self.words = BM25Okapi([words(d) for d in docs])
        self.bigrams = BM25Okapi([bigrams(d) for d in docs])

    def scores(self, query: str) -> list[float]:
        """Fused lexical score per article: each BM25 normalised by its best hit, then summed."""
        fused = [0.0] * len(self.numbers)
        for index, tokens in ((self.words, words(query)), (self.bigrams, bigrams(query))):
            if not tokens:
                continue
            raw = index.get_scores(tokens)
            top = max(raw) or 1.0
            fused = [f + r / top for f, r in zip(fused, raw, strict=True)]
        return fused


@lru_cache(maxsize=1)
def civil_code_index() -> CivilCodeIndex:
    return CivilCodeIndex()
