"""What our pipeline components add to Rasa's parse of a message (nlu/matcher.py writes them; the
decision and statute retrieval read them). Kept apart so that readers need not import Rasa."""

from __future__ import annotations

ENTRY_MATCHES = "entry_matches"  # [{"entry", "similarity", "top3", "z"}], the closest (by "top3") first
SAFETY = "safety"  # {"danger", "needs_person", "ordinary"}: best cosine to each curated set
SAFETY_SETS = ("danger", "needs_person", "ordinary")
# The mean cosine of the three nearest examples of the other_legal intent (nlu/general.yml): compared
# with the closest entry's "top3" by actions/other_law.py, the same closeness the entry choice scores.
OTHER_LAW_MATCH = "other_law_match"
OTHER_LAW_INTENT = "other_legal"  # the classifier's intent for questions of another law (nlu/general.yml)
