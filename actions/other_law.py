"""Questions of another law than the Civil Code, named in its own words: crime and punishment,
administrative review and suits, intellectual property, tax, shareholdings. The classifier's
other_legal intent catches most of them; these words make sure that a question the classifier
took for a Civil Code topic is referred to a person, never answered with a Civil Code entry.
"""

from __future__ import annotations

import re

OTHER_LAW = re.compile(
    "|".join(
        (
            # criminal law and procedure
            r"犯罪|构成.{0,10}罪|判刑|坐牢|坐监|刑事|刑拘|拘留|缓刑|取保候审",
            # administrative law
            r"行政复议|行政诉讼|行政处罚",
            # intellectual property, tax, company law
            r"著作权|版权|商标|专利|个人所得税|偷税|逃税|股东|股权|退股",
        )
    )
)


def names_other_law(text: str) -> bool:
    return bool(OTHER_LAW.search(text))
