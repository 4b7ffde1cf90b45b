"""Everything the assistant says to residents, in one place so that a reviewer can read every
sentence: plain words for a phone screen, and always what happens next."""

from __future__ import annotations

# --- the assistant's answers ------------------------------------------------------------
SCOPE = "婚姻家庭、继承遗嘱、房屋邻里、借钱合同、侵权赔偿、老年人公证、村（居）委会选举、法律援助和人民调解"

NOT_UNDERSTOOD = (
    "抱歉，我没太明白您的意思。能换个说法，或者说说是哪方面的事吗？"
    "比如：离婚、遗嘱、借钱不还、邻居纠纷、办公证、村委选举。"
)
RELATED_ARTICLES = (
    "我没有找到正好回答这个问题的内容。下面这些法律条文可能和您的情况有关（检索结果，仅供参考，"
    "具体要看事实）：\n{articles}\n要不要请村居法律顾问帮您具体看看？"
)
WHICH_ONE = "您想问的是下面哪一个？请点选："
NONE_OF_THESE = "都不是，找人工"
CHOICE_GONE = "这个选项的内容已经更新或下架了。请直接说说您的问题，我重新帮您找。"
OFFER_PERSON_AFTER_FAILURES = "抱歉，我还是没能帮上忙。要不要请村居法律顾问帮您看看？"
OUT_OF_SCOPE = f"这个问题我帮不上忙。我是法律咨询助手，可以解答{SCOPE}方面的常见问题。"
OTHER_LEGAL = (
    f"这个问题超出了我能解答的范围（我主要解答{SCOPE}）。"
    "要不要请村居法律顾问帮您看看？也可以拨打12348公共法律服务热线。"
)
COMPLEX = "您的情况涉及的事实比较多（或已经进入诉讼），上面的内容只供参考。要不要请村居法律顾问帮您具体看看？"
EMERGENCY = (
    "如果您或家人正面临危险，请马上拨打110报警；受伤请拨120。\n"
    "遭受家庭暴力可以向妇联求助（12338），也可以向法院申请人身安全保护令。\n"
    "如果您有伤害自己的念头，请拨打心理援助热线12356，身边有人的话请告诉他们。"
)
ARTICLE_NOT_FOUND = "没有找到《{law}》{label}的现行条文。请核对法律名称和条号，或者直接说说您遇到的事。"
ARTICLE_REPEALED = (
    "《{law}》已经在2021年1月1日废止，由《中华人民共和国民法典》取代。"
    "您可以直接说说遇到的事，我帮您找民法典里对应的规定。"
)
ARTICLE_UNKNOWN_LAW = "我没找到叫“{law}”的现行法律。请写出法律的名称，比如“民法典第1134条”。"
ANYTHING_ELSE = "好的。还有其他问题可以继续问我。"
FEEDBACK_THANKS = "谢谢您的反馈，我们会据此改进回答。"
FEEDBACK_SORRY = "抱歉这个回答没帮上忙。要不要请村居法律顾问帮您看看？"
YES_PERSON, NO_PERSON = "要，请法律顾问联系我", "不用了"
HELPFUL, UNHELPFUL = "有帮助", "没帮助"
GREET = (
    "您好！我是广州法律咨询小助手，可以解答婚姻家庭、继承遗嘱、邻里房屋、借钱合同、老年人公证、"
    "村（居）委会选举等常见法律问题。请直接说您遇到的事。"
)
THANKS = "不客气！还有其他问题可以随时问我。"
GOODBYE = "再见，祝您生活顺心！有需要随时来问。"
I_AM_A_BOT = "我是自动回复的法律咨询助手，不是真人。回答仅供参考；如需真人帮助，回复“转人工”，由村居法律顾问跟进。"

# --- how an answer ends -----------------------------------------------------------------
LEGAL_BASIS = "法律依据："
PERSON_LABEL = "如需人工帮助："
PERSON_LINE = PERSON_LABEL + "回复“转人工”，由村居法律顾问跟进；也可拨打12348公共法律服务热线。"

# --- the channels -----------------------------------------------------------------------
START = (
    "您好！我是广州法律咨询小助手。\n"
    "可以问我婚姻家庭、继承遗嘱、房屋邻里、借钱合同、老年人公证、村（居）委会选举等常见法律问题，"
    "回答会写明法律依据。\n直接用文字说您遇到的事就行；需要真人帮忙，发送 /human。"
)
HELP = (
    "怎么用：\n1. 用文字说出您的问题，比如“离婚冷静期多久”“爸爸的遗嘱有两份听哪份”。\n"
    "2. 有按钮时点一下按钮就行。\n3. 想查法律条文，发“民法典第1134条”。\n"
    "/human 请村居法律顾问帮忙\n/cancel 不再等法律顾问\n/restart 重新开始对话\n/forget 删除我在这里的全部记录\n"
    "紧急危险请直接拨打110。"
)
NOTHING_TYPED = "请用文字说说您想问的事，比如“离婚冷静期多久”。"
RESTARTED = "好的，已重新开始。请说说您想问的事。"
FORGET_ASK = (
    "要删除您在这里的全部记录吗？包括您发过的消息、和助手的对话、转给法律顾问的记录。删除后不能恢复，"
    "法律顾问手机上已经收到的消息我们删不掉。"
)
FORGET_YES = "确认删除"
FORGET_NO = "不删除"
FORGOTTEN = "已删除您在这里的全部记录。以后再提问，会当作新的对话。"
FORGET_KEPT = "好的，没有删除。有问题可以继续问我。"
FORGET_IN_CASE = "您的事情正在转给法律顾问，现在不能删除记录。请先发送 /cancel 结束，再发送 /forget。"
FORGET_UNAVAILABLE = "这个渠道不能自己删除记录，请联系本服务的管理员删除。"
EDITED = "我看到您修改了刚才的消息。我是按修改前的内容回复的；如果问题变了，请把新问题重新发一次。"
COMMAND_MENU = {
    "start": "开始使用",
    "help": "怎么用",
    "human": "找村居法律顾问",
    "cancel": "不再等法律顾问",
    "restart": "重新开始对话",
    "forget": "删除我的记录",
}  # Telegram's command menu
CHOOSE = "请选择："  # Telegram needs text with buttons
PLEASE_WAIT = "收到您的消息了。系统有点忙，请稍等，我稍后会自动回复您，不用重发。"
SORRY = "抱歉，处理您的消息时出了问题。请换个说法再发一次，或发送 /human 请法律顾问帮忙；着急可拨打12348。"
NO_REPLY = "抱歉，系统刚才没能处理您的消息。请稍后再发一次，或回复“转人工”；着急可拨打12348。"
TOO_LONG = "您的消息太长了（{length}字），我一次最多能读{limit}字，这条没有处理。请简要说说您的问题，或分几条发送。"
# The REST channel (bot/rest/): what a web chat may show the resident when it is refused.
REST_BAD_REQUEST = "抱歉，这条消息的格式不对，没有收到。请重新发送；着急可拨打12348。"
REST_EMPTY = "（请输入您的问题。）"
TOO_LONG_REST = "您的消息太长了，我一次最多能读{limit}字，这条没有处理。请简要说说您的问题，或分几条发送。"
REST_UNAVAILABLE = "抱歉，助手暂时连不上，这条消息没有处理。请过一会儿再发一次；着急可拨打12348。"
SLOW_DOWN = "您发得太快了，我还在回答您前面的消息，这条没有处理。请等我回复后再发一次。"
NOT_TEXT = (
    "抱歉，我现在只能看懂文字消息，看不了语音、图片、文件或位置。"
    "请用文字说说您的问题；需要真人看材料，发送 /human 请法律顾问帮忙。"
)
NOTHING_TO_CANCEL = "现在没有转给法律顾问的对话。有问题可以直接问我。"
LOCAL_CHAT_WELCOME = (
    "广州法律咨询助手（本地对话）。直接输入问题；有选项时输入数字；"
    "/human 找法律顾问，/cancel 不再等法律顾问，/restart 重新开始，/quit 退出。"
)
LOCAL_CHAT_ASSISTANT = "助手："
LOCAL_CHAT_EMPTY = "（请输入您的问题。）"
LOCAL_CHAT_BUSY = "（助手暂时连不上，您的问题已保留，{delay} 秒后自动重发。按 Ctrl+C 退出。）"
LOCAL_CHAT_GAVE_UP = "（助手仍然连不上。请稍后重新输入这个问题，或拨打12348公共法律服务热线。）"

# --- handing over to a village legal adviser: intake --------------------------------------
ASK_DISTRICT = "好的，我帮您联系负责您所在村（社区）的法律顾问。先问两个小问题。\n请问您住在哪个区？请点选："
OTHER_DISTRICT = "不在这些区 / 不清楚"
ASK_VILLAGE = "请问您是哪个村或社区？直接打字就行，比如“南平村”。"
VILLAGE_UNSURE = "不清楚 / 找不到"
PICK_VILLAGE = "您说的是下面哪一个？请点选："
VILLAGE_NOT_FOUND = "抱歉，在{district}没有找到“{text}”。请再写一次村（社区）的名字，或点“不清楚”。"
GUANGZHOU = "广州市"  # where the resident lives, when they did not say
ASK_CONSENT = "我们会把您和我的对话内容（包括您刚才讲的情况）发给{place}的村居法律顾问，由顾问在这里回复您。同意吗？"
CONSENT_YES, CONSENT_NO = "同意", "不同意"
CONSENT_REFUSED = "好的，没有转给法律顾问，您的对话内容不会发给别人。您可以继续问我，也可以拨打12348公共法律服务热线。"
PLEASE_ANSWER = "请先回答上面的问题（点按钮或打字）；不想转给顾问了，发送 /cancel。"
EXPIRED_BUTTON = "这个按钮已经过期了。请直接说说您的问题。"

# --- handing over: the case ------------------------------------------------------------
CASE_QUEUED = "已为您登记（编号 {case_id}），正在联系{place}的法律顾问。顾问接手后会在这里回复您，请留意消息。"
DAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")  # when an adviser starts work
# When no adviser can take the case now: why, then what the resident can do at once.
NOBODY_OFF_DUTY = "现在是法律顾问的下班时间，预计{when}以后会有顾问接手。"
NOBODY_BUSY = "法律顾问现在都在忙，暂时没法马上接手。"
NOBODY_REGISTERED = "{place}暂时还没有能接手的法律顾问，登记会交给负责的司法所（区公共法律服务中心）跟进。"
WHAT_YOU_CAN_DO = (
    "您现在就可以：\n"
    "· 拨打12348公共法律服务热线，免费咨询；\n"
    "· 到所在区的公共法律服务中心（法律援助中心）当面咨询，符合条件的可以申请免费法律援助；\n"
    "· 遇到危险马上拨打110。"
)
CASE_QUEUED_NOBODY = (
    "已为您登记（编号 {case_id}）。{why}有顾问接手后会在这里回复您。\n"
    + WHAT_YOU_CAN_DO
    + "\n等待的时候，您也可以继续问我问题。"
)
NO_ADVISER_HERE = (
    "在这里没法转给法律顾问：顾问的回复到不了这个对话窗口。\n" + WHAT_YOU_CAN_DO + "\n您也可以继续问我问题。"
)
STILL_QUEUED = (
    "您的问题（编号 {case_id}）已经登记，有顾问接手后会在这里回复您；不想等了，发送 /cancel。着急的话可以拨打12348。"
)
CASE_TAKEN = "法律顾问{name}已经接手您的问题（编号 {case_id}），会在这里直接回复您。您也可以继续把情况发过来。"
WAITING_FOR_ADVISER = "已收到，顾问接手后会看到这条消息。不想等了，发送 /cancel。"
ALREADY_IN_CASE = "您的问题（编号 {case_id}）已经转给法律顾问了，请留意这里的消息。不想等了，发送 /cancel。"
STILL_LOOKING = "还在为您联系法律顾问，请再稍等。着急的话可以拨打12348公共法律服务热线。"
ADVISER_REMINDED = "顾问暂时还没回复，我们已经提醒了顾问，请再稍等。着急的话可以拨打12348。"
ADVISER_CHANGED = "原来的法律顾问暂时不能继续跟进您的问题（编号 {case_id}），正在为您联系其他顾问，请稍等。"
FROM_ADVISER = "法律顾问{name}：{text}"
CASE_CLOSED = "法律顾问已结束这次咨询（编号 {case_id}）：{outcome}\n之后有问题可以继续问我，或再次发送 /human。"
CASE_RETURNED = "法律顾问已把对话交回给我（编号 {case_id}）。有问题可以继续问我；需要顾问再发送 /human。"
CASE_CANCELLED = "好的，已取消转接（编号 {case_id}）。有问题可以继续问我。"
CASE_INACTIVE = "这次咨询（编号 {case_id}）很久没有新消息，已经结束。之后有问题可以继续问我，或再次发送 /human。"
