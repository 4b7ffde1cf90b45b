"""Fixed reply texts of the assistant, in the plain words residents read on a phone."""
from __future__ import annotations

SCOPE = "婚姻家庭、继承遗嘱、房屋邻里、借钱合同、侵权赔偿、老年人公证、村（居）委会选举、法律援助和人民调解"

NOT_UNDERSTOOD = ("抱歉，我没太明白您的意思。能换个说法，或者说说是哪方面的事吗？"
                  "比如：离婚、遗嘱、借钱不还、邻居纠纷、办公证、村委选举。")
RELATED_ARTICLES = ("我没有找到正好回答这个问题的内容。下面这些法律条文可能和您的情况有关（检索结果，仅供参考，"
                    "具体要看事实）：\n{articles}\n要不要请村居法律顾问帮您具体看看？")
WHICH_ONE = "您想问的是下面哪一个？请点选："
NONE_OF_THESE = "都不是，找人工"
OFFER_PERSON_AFTER_FAILURES = "抱歉，我还是没能帮上忙。要不要请村居法律顾问帮您看看？"
OUT_OF_SCOPE = f"这个问题我帮不上忙。我是法律咨询助手，可以解答{SCOPE}方面的常见问题。"
OTHER_LEGAL = (f"这个问题超出了我能解答的范围（我主要解答{SCOPE}）。"
               "要不要请村居法律顾问帮您看看？也可以拨打12348公共法律服务热线。")
COMPLEX = "您的情况涉及的事实比较多（或已经进入诉讼），上面的内容只供参考。要不要请村居法律顾问帮您具体看看？"
EMERGENCY = ("如果您或家人正面临危险，请马上拨打110报警；受伤请拨120。\n"
             "遭受家庭暴力可以向妇联求助（12338），也可以向法院申请人身安全保护令。\n"
             "如果您有伤害自己的念头，请拨打心理援助热线12356，身边有人的话请告诉他们。")
ARTICLE_NOT_FOUND = "没有找到《{law}》{label}的现行条文。请核对法律名称和条号，或者直接说说您遇到的事。"
ARTICLE_REPEALED = ("《{law}》已经在2021年1月1日废止，由《中华人民共和国民法典》取代。"
                    "您可以直接说说遇到的事，我帮您找民法典里对应的规定。")
ARTICLE_UNKNOWN_LAW = "我没找到叫“{law}”的现行法律。请写出法律的名称，比如“民法典第1134条”。"
ANYTHING_ELSE = "好的。还有其他问题可以继续问我。"
FEEDBACK_THANKS = "谢谢您的反馈，我们会据此改进回答。"
FEEDBACK_SORRY = "抱歉这个回答没帮上忙。要不要请村居法律顾问帮您看看？"
YES_PERSON, NO_PERSON = "要，请法律顾问联系我", "不用了"
HELPFUL, UNHELPFUL = "有帮助", "没帮助"
