"""Questions of another law than the Civil Code, named in its own words: crime and punishment,
administrative review and suits, intellectual property, tax, companies and shareholdings. The
classifier's other_legal intent catches most of them; these words make sure that a question the
classifier took for one of the assistant's topics is referred to a person, never answered with an
entry (a company registered with a stolen identity card is no labour question, a famous trademark
no notarisation one). Legal aid is the exception: a defendant's legal aid is the assistant's own.
"""

from __future__ import annotations

import re

OTHER_LAW = re.compile(
    "|".join(
        (
            # criminal law and procedure
            r"犯罪|构成.{0,10}罪|判刑|坐牢|坐监|刑事|刑拘|拘留|缓刑|取保候审|贩毒|运毒|运输.{0,3}毒品|扒窃",
            # administrative law
            r"行政复议|行政诉讼|行政处罚|行政许可|国家赔偿",
            # intellectual property, tax, company law (registering a company, shareholdings)
            r"著作权|版权|商标|专利|个人所得税|个税|偷税|逃税|股东|股权|退股|注册.{0,3}公司",
        )
    )
)


#: The topic whose questions may name another law and still be its own (legal aid for a defendant).
KEPT = "service.legal_aid"


def is_other_law(topic: str | None, text: str) -> bool:
    """The question names another law, and the classifier did not take it for legal aid."""
    return topic != KEPT and bool(OTHER_LAW.search(text))
